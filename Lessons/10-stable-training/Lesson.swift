import MiniTorch
import Workbook

/// Everything the lesson runs, with the flags' values.
public struct Settings: SeededSettings, Equatable {
    /// The SGD rate of both clipping runs: too high for the first, huge gradients without clipping.
    public var learningRate: Float = 0.2
    /// clip_grad_norm_'s max_norm (Hugging Face's max_grad_norm, default 1.0).
    public var maxGradNorm: Float = 1.0
    public var maxSteps = 500
    public var batchSize = 32
    /// The step whose batch carries a NaN in the bad-batch run.
    public var badBatchStep = 40
    public var precision = PrecisionSettings()
    public var seed = 42

    public init() {}

    public func validate() throws {
        try inRange(badBatchStep, 1...maxSteps, "--bad-batch-step")
    }
}

public struct LessonResult: Sendable {
    public var settings: Settings
    /// Same rate, same seed: without clipping, then with clipping.
    public var unclipped: StabilityRun
    public var clipped: StabilityRun
    /// The clipped run again, with a NaN planted in one batch.
    public var badBatch: StabilityRun
    public var errors: [RoundingError]
    public var precisionRuns: [PrecisionRun]

    public func precisionRun(_ mode: PrecisionMode) -> PrecisionRun { precisionRuns.first { $0.mode == mode }! }
}

public func run(_ settings: Settings, progress: LessonProgress = .silent) -> LessonResult {
    func done(_ part: Int) { progress.update("runs", step: part, of: lessonParts) }
    let problem = RegressionProblem(seed: settings.seed)
    func regression(_ name: String, clip: Float?, bad: Int? = nil) -> StabilityRun {
        trainRegression(problem, name: name, learningRate: settings.learningRate, maxGradNorm: clip,
                        steps: settings.maxSteps, batchSize: settings.batchSize, seed: settings.seed, badBatchAt: bad)
    }
    let unclipped = regression("no clipping", clip: nil)
    done(1)
    let clipped = regression("clipped", clip: settings.maxGradNorm)
    done(2)
    let badBatch = regression("bad batch", clip: settings.maxGradNorm, bad: settings.badBatchStep)
    done(3)
    let errors = HalfFormat.allCases.map { measureRoundingError($0, seed: settings.seed) }
    var precision = settings.precision
    precision.seed = settings.seed
    let blobs = makeBlobs(precision)
    var runs: [PrecisionRun] = []
    for (i, mode) in PrecisionMode.allCases.enumerated() {
        runs.append(trainPrecision(mode, data: blobs, settings: precision))
        done(4 + i)
    }
    return LessonResult(settings: settings, unclipped: unclipped, clipped: clipped, badBatch: badBatch,
                        errors: errors, precisionRuns: runs)
}

/// Steps of work `run` reports through `progress`.
public let lessonParts = 3 + PrecisionMode.allCases.count
