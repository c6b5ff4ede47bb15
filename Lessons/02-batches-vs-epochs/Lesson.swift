import MiniTorch
import Workbook

/// The settings shared by the three runs: same data, same model, same initial weights, same
/// learning rate. Only the batch size differs.
public struct Settings: SeededSettings {
    public var samples = 200
    public var classes = 4
    public var spread: Float = 1.0
    public var hiddenSize = 16
    public var learningRate: Float = 0.1
    public var numTrainEpochs = 100
    /// The mini-batch run's batch size (`--per-device-train-batch-size`).
    public var miniBatchSize = 5
    /// The whole-training-set loss each run must reach for the table.
    public var targetLoss = 0.5
    public var seed = 42

    public init() {}

    /// Batch gradient descent (the whole set), mini-batch, and stochastic (one sample).
    public var runs: [(name: String, batchSize: Int)] {
        [("batch GD", samples), ("mini-batch", miniBatchSize), ("SGD", 1)]
    }
}

/// What the lesson shows: the update counts, the visits of each sample, the three runs and the
/// large batch with its rate scaled.
public struct LessonResult: Sendable {
    public var settings: Settings
    /// 200 and 203 samples, with and without drop last, at the mini-batch size for 1000 epochs.
    public var counts: [(samples: Int, dropLast: Bool, count: UpdateCount)]
    /// Three epochs of 200 samples shuffled, not shuffled, and 203 with drop last.
    public var shuffled: Visits
    public var ordered: Visits
    public var dropped: Visits
    public var curves: [RunCurve]
    public var scaled: [(rule: String, learningRate: Float, curve: RunCurve)]
}

/// Counts first (no training needed: the DataLoader knows how many batches it will give), then
/// the three runs and the two with a scaled rate.
public func run(_ settings: Settings, progress: LessonProgress = .silent) -> LessonResult {
    let batch = settings.miniBatchSize
    let counts = [(200, false), (200, true), (203, false), (203, true)].map { samples, dropLast in
        (samples: samples, dropLast: dropLast, count: countUpdates(samples: samples, batchSize: batch, epochs: 1000, dropLast: dropLast))
    }
    let shuffled = countVisits(samples: 200, batchSize: batch, epochs: 3, seed: settings.seed)
    let ordered = countVisits(samples: 200, batchSize: batch, epochs: 3, shuffle: false)
    let dropped = countVisits(samples: 203, batchSize: batch, epochs: 3, dropLast: true, seed: settings.seed)
    let total = totalUpdates(settings)
    let curves = compareBatchSizes(settings) { done, row in
        progress.update("3 runs", step: done, of: total, metrics: ["loss": row.trainLoss])
    }
    return LessonResult(settings: settings, counts: counts, shuffled: shuffled, ordered: ordered, dropped: dropped,
                        curves: curves, scaled: scaledRateRuns(settings))
}
