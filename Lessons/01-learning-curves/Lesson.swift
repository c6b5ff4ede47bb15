import MiniTorch
import Workbook

/// The settings of one run, with Hugging Face's names where it has one.
public struct Settings: SeededSettings {
    public var learningRate: Float = 0.02
    public var perDeviceTrainBatchSize = 32
    public var numTrainEpochs = 30
    /// Evaluate and log every this many optimizer steps (HF `logging_steps`).
    public var loggingSteps = 1
    public var seed = 42

    /// Four overlapping Gaussian blobs: close enough that no model gets every point right.
    public var samples = 600
    public var classes = 4
    public var spread: Float = 1.0
    public var validationFraction = 0.2
    public var hiddenSize = 16
    /// The last layer's initial weights are PyTorch's default times this (and its bias 0), so
    /// the untrained model spreads its probability evenly over the classes (see `makeModel`).
    public var lastLayerInitScale: Float = 0.1

    public init() {}
}

/// One logged moment: the batch the optimizer just used, and both whole data sets measured
/// with the weights as they are now.
public struct LogRow: Sendable, Equatable {
    public var step: Int
    public var epoch: Double
    /// Loss of the mini-batch behind this step (nil at step 0, before any batch).
    public var batchLoss: Double?
    public var trainLoss: Double
    public var validLoss: Double
    public var trainAccuracy: Double
    public var validAccuracy: Double
    /// exp(validation loss): the validation perplexity.
    public var perplexity: Double
}

public struct LessonResult: Sendable {
    public var config: Settings
    public var trainCount: Int
    public var validCount: Int
    public var stepsPerEpoch: Int
    /// Training loss of the same network with PyTorch's default init everywhere (no scaling).
    public var defaultInitTrainLoss: Double
    /// Row 0 is the untrained model (step 0), then one row every `loggingSteps` steps.
    public var rows: [LogRow]

    public var initial: LogRow { rows[0] }
    public var final: LogRow { rows[rows.count - 1] }
}

/// The lesson: one training run, its curves measured at every logged step.
public func run(_ settings: Settings, progress: LessonProgress = .silent) -> LessonResult {
    trainWithCurves(settings) { step, total, row in
        if let row {
            progress.update("training", step: step, of: total, metrics: ["loss": row.trainLoss, "accuracy": row.trainAccuracy])
        } else {
            progress.update("training", step: step, of: total)
        }
    }
}
