import MiniTorch
import Workbook
import struct Overfitting.CurveDiagnosis

/// The run: Hugging Face's usual fine-tuning recipe on a small classifier, logged in full.
public struct Settings: SeededSettings, Equatable {
    public var tickets = TicketConfig()
    public var hiddenSize = 128
    public var learningRate: Float = 3e-3
    public var perDeviceTrainBatchSize = 32
    public var numTrainEpochs = 12
    public var warmupSteps = 30
    public var weightDecay: Float = 0.01
    public var maxGradNorm: Float = 1.0
    /// Log the training loss and evaluate every `loggingSteps` optimizer steps.
    public var loggingSteps = 25
    public var seed = 42
    public init() {}

    /// The diagnosis reads the shape of the curves: it needs at least three points.
    public func validate() throws {
        let steps = numTrainEpochs * ((tickets.trainCount + perDeviceTrainBatchSize - 1) / perDeviceTrainBatchSize)
        try check(steps >= 3 * loggingSteps,
                  "--logging-steps (\(loggingSteps)) must leave at least 3 evaluations in \(steps) steps for the diagnosis")
    }
}

public struct LessonResult: Sendable {
    public var settings: Settings
    /// Step rows (lr, loss, grad_norm, peak_mb every step; eval columns every `loggingSteps`).
    public var log: MetricsLog
    public var timings: [StepTiming]
    public var evaluations: [(step: Int, trainLoss: Double, eval: Evaluation)]
    public var diagnosis: CurveDiagnosis
    public var stepsPerEpoch: Int
    /// The most bytes of tensor storage allocated during a training step and alive at once
    /// (activations, gradients, temporaries; AdamW's state on the first step), the largest over
    /// the run. The weights, allocated before the step, are not counted.
    public var peakBytes: Int

    public var final: Evaluation { evaluations[evaluations.count - 1].eval }
    public var best: (step: Int, trainLoss: Double, eval: Evaluation) { evaluations.min { $0.eval.loss < $1.eval.loss }! }
}

/// The lesson: one monitored run, its curves diagnosed at the end.
public func run(_ settings: Settings, progress: LessonProgress = .silent) -> LessonResult {
    trainMonitored(settings) { step, total, loss in
        progress.update("training", step: step, of: total, metrics: ["loss": Double(loss)])
    }
}
