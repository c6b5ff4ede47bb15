import MiniTorch
import Workbook

/// What every run shares: the data, the model size, the budget and the seed.
public struct Settings: SeededSettings, Equatable {
    public var reviews = ReviewConfig()
    /// Share of each class held out for validation (a stratified split).
    public var validationFraction = 0.2
    public var hiddenSize = 32
    public var numTrainEpochs = 10
    public var perDeviceTrainBatchSize = 16
    /// AdamW's decoupled weight decay, 0.01 as in the source's TrainingArguments.
    public var weightDecay: Float = 0.01
    /// The baseline's rate, as the source set it (and the class-weights run's).
    public var learningRate: Float = 1e-5
    /// The baseline's loss weighting (the source's run had none).
    public var classWeights = ClassWeighting.none
    /// A rate at which this small model learns within the budget (the "higher lr" runs).
    public var higherLearningRate: Float = 1e-3
    public var seed = 42

    public init() {}

    // ANCHOR: runs
    /// The lesson's runs: the baseline as configured, then each fix alone and together.
    public var runs: [RunConfig] {
        [RunConfig(name: "baseline", learningRate: learningRate, classWeights: classWeights),
         RunConfig(name: "class weights", learningRate: learningRate, classWeights: .balanced),
         RunConfig(name: "higher lr", learningRate: higherLearningRate, classWeights: classWeights),
         RunConfig(name: "higher lr + weights", learningRate: higherLearningRate, classWeights: .balanced),
         RunConfig(name: "higher lr + oversampling", learningRate: higherLearningRate, classWeights: classWeights,
                   oversample: true)]
    }
    // ANCHOR_END: runs
}

/// Every run of the lesson on the same data.
public struct LessonResult: Sendable {
    public var settings: Settings
    public var data: LessonData
    public var runs: [RunResult]

    public func run(_ name: String) -> RunResult { runs.first { $0.config.name == name }! }
}

/// Every run on the same data, one progress bar each.
public func run(_ settings: Settings, progress: LessonProgress = .silent) throws -> LessonResult {
    let data = LessonData(settings)
    let progress = progress.padding(labels: 24)
    var runs: [RunResult] = []
    for config in settings.runs {
        runs.append(try train(config, data: data, settings: settings) { metrics in
            progress.update(config.name, step: metrics.epoch, of: settings.numTrainEpochs,
                            metrics: ["accuracy": metrics.accuracy, "neg_recall": metrics.minorityRecall,
                                      "macro_f1": metrics.macroF1, "valid_loss": metrics.validLoss])
        })
    }
    return LessonResult(settings: settings, data: data, runs: runs)
}

/// `--class-weights none|balanced`.
extension ClassWeighting: FlagValue {}
