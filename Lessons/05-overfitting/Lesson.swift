import MiniTorch
import Workbook

/// The settings of the lesson's runs, with the command line's defaults.
///
/// The overfit run is the baseline: a large MLP, a sensible rate, a long budget. Every other run
/// changes one thing about it, so each curve shape has a single cause:
/// underfit lowers the rate, erratic raises it and shrinks the batch, well-fit adds the fixes
/// (dropout, weight decay, early stopping).
public struct Settings: SeededSettings, Equatable {
    public var learningRate: Float = 3e-3
    public var numTrainEpochs = 200
    public var perDeviceTrainBatchSize = 16
    public var hiddenSize = 128
    public var dropout: Float = 0.5
    public var weightDecay: Float = 0.5
    public var earlyStoppingPatience = 3
    public var underfitLearningRate: Float = 3e-6
    public var erraticLearningRate: Float = 0.05
    public var erraticBatchSize = 4
    public var seed = 42

    public init() {}

    // ANCHOR: runs
    public var overfit: RunConfig {
        RunConfig(name: "overfit", hiddenSizes: [hiddenSize, hiddenSize], learningRate: learningRate,
                  perDeviceTrainBatchSize: perDeviceTrainBatchSize, numTrainEpochs: numTrainEpochs)
    }
    public var underfit: RunConfig {      // the same model, a rate far too low
        var run = overfit
        run.name = "underfit"
        run.learningRate = underfitLearningRate
        return run
    }
    public var erratic: RunConfig {       // the same model, a rate too high and a tiny batch
        var run = overfit
        run.name = "erratic"
        run.learningRate = erraticLearningRate
        run.perDeviceTrainBatchSize = erraticBatchSize
        return run
    }
    public var wellFit: RunConfig {       // the overfit run plus every fix
        var run = overfit
        run.name = "well-fit"
        run.dropout = dropout
        run.weightDecay = weightDecay
        run.earlyStoppingPatience = earlyStoppingPatience
        return run
    }
    // ANCHOR_END: runs

    /// The well-fit run without early stopping: what dropout and weight decay do on their own
    /// over the whole budget.
    public var regularized: RunConfig {
        var run = wellFit
        run.name = "regularized"
        run.earlyStoppingPatience = nil
        return run
    }
}

/// A finished run with `diagnose`'s reading of its curves.
public struct DiagnosedRun: Sendable {
    public var run: RunResult
    public var diagnosis: CurveDiagnosis
    public var name: String { run.config.name }
}

/// Everything the chapter reports.
public struct LessonResult: Sendable {
    public var settings: Settings
    /// overfit, underfit, erratic, well-fit, in that order.
    public var runs: [DiagnosedRun]
    /// The well-fit settings run for the whole budget, without early stopping.
    public var regularized: RunResult

    public func run(_ name: String) -> RunResult { runs.first { $0.name == name }!.run }
    public var overfit: RunResult { run("overfit") }
    public var wellFit: RunResult { run("well-fit") }

    /// How much dropout and weight decay shrink the final validation-minus-training gap, both
    /// runs trained for the whole budget.
    public var gapNarrowing: Double { overfit.finalGap - regularized.finalGap }
}

/// Trains the four canonical runs (and the regularized comparison) on one noisy data set.
/// One bar per run, each as long as the epoch budget (early stopping ends one short).
public func run(_ settings: Settings, progress: LessonProgress = .silent) throws -> LessonResult {
    let data = noisySpirals(seed: settings.seed)
    let progress = progress.padding(labels: 11)
    func fit(_ config: RunConfig) throws -> RunResult {
        try train(config, train: data.train, validation: data.validation, seed: settings.seed) {
            progress.update(config.name, step: $0.epoch, of: settings.numTrainEpochs,
                            metrics: ["train_loss": $0.trainLoss, "valid_loss": $0.validLoss])
        }
    }
    // ANCHOR: diagnose
    var runs: [DiagnosedRun] = []
    for config in [settings.overfit, settings.underfit, settings.erratic, settings.wellFit] {
        let run = try fit(config)
        let diagnosis = diagnose(train: run.trainLosses.map(Float.init),
                                 validation: run.validLosses.map(Float.init))
        runs.append(DiagnosedRun(run: run, diagnosis: diagnosis))
    }
    // ANCHOR_END: diagnose
    return LessonResult(settings: settings, runs: runs, regularized: try fit(settings.regularized))
}
