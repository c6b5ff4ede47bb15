import MiniTorch

/// Everything the lesson runs, with the flags' values.
public struct LessonSettings: Sendable, Equatable {
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
}

public struct LessonResult: Sendable {
    public var settings: LessonSettings
    /// Same rate, same seed: without clipping, then with clipping.
    public var unclipped: StabilityRun
    public var clipped: StabilityRun
    /// The clipped run again, with a NaN planted in one batch.
    public var badBatch: StabilityRun
    public var errors: [RoundingError]
    public var precisionRuns: [PrecisionRun]

    public func precisionRun(_ mode: PrecisionMode) -> PrecisionRun { precisionRuns.first { $0.mode == mode }! }
}

public func runLesson(_ settings: LessonSettings, progress: (Int) -> Void = { _ in }) -> LessonResult {
    let problem = RegressionProblem(seed: settings.seed)
    func regression(_ name: String, clip: Float?, bad: Int? = nil) -> StabilityRun {
        trainRegression(problem, name: name, learningRate: settings.learningRate, maxGradNorm: clip,
                        steps: settings.maxSteps, batchSize: settings.batchSize, seed: settings.seed, badBatchAt: bad)
    }
    let unclipped = regression("no clipping", clip: nil)
    progress(1)
    let clipped = regression("clipped", clip: settings.maxGradNorm)
    progress(2)
    let badBatch = regression("bad batch", clip: settings.maxGradNorm, bad: settings.badBatchStep)
    progress(3)
    let errors = HalfFormat.allCases.map { measureRoundingError($0, seed: settings.seed) }
    var precision = settings.precision
    precision.seed = settings.seed
    let blobs = makeBlobs(precision)
    var runs: [PrecisionRun] = []
    for (i, mode) in PrecisionMode.allCases.enumerated() {
        runs.append(trainPrecision(mode, data: blobs, settings: precision))
        progress(4 + i)
    }
    return LessonResult(settings: settings, unclipped: unclipped, clipped: clipped, badBatch: badBatch,
                        errors: errors, precisionRuns: runs)
}

/// Steps of work `runLesson` reports through `progress`.
public let lessonParts = 3 + PrecisionMode.allCases.count
