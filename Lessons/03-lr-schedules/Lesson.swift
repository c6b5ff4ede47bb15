import MiniTorch
import Workbook

/// The flags' values: the peak rate, warm-up and length of the schedules and of your run.
public struct Settings: SeededSettings, Equatable {
    /// Peak learning rate of the schedules and of your run.
    public var learningRate: Float = 1e-3
    public var warmupSteps = 10
    /// Optimizer steps in every run, and the length of the schedules.
    public var maxSteps = 100
    /// The schedule of your run, by Hugging Face's `lr_scheduler_type` name.
    public var lrSchedulerType = SchedulerType.linear.rawValue
    public var seed = 42

    public init() {}

    public func validate() throws {
        try check(learningRate > 1e-7, "--learning-rate must be above 1e-7, the polynomial schedule's end rate (got \(learningRate))")
        try check(warmupSteps < maxSteps, "--warmup-steps (\(warmupSteps)) must be less than --max-steps (\(maxSteps))")
    }
}

public struct LessonResult: Sendable {
    public var settings: Settings
    /// Hugging Face's schedules, PyTorch's, and the options of two of them, computed without training.
    public var hf: [ScheduleCurve]
    public var torch: [ScheduleCurve]
    public var options: [ScheduleCurve]
    public var sweep: Sweep
    public var warmup: WarmupComparison
    public var range: RangeTestResult
    public var yours: TrainingRun
}

/// The schedules, then training: the sweep, the warm-up pair, the range test and your run.
public func run(_ settings: Settings, progress: LessonProgress = .silent) -> LessonResult {
    let peak = settings.learningRate, warmupSteps = settings.warmupSteps, maxSteps = settings.maxSteps
    let problem = Problem(seed: settings.seed)
    let total = sweepRates.count + 3
    func done(_ part: Int, metrics: KeyValuePairs<String, Double> = [:]) {
        progress.update("training", step: part, of: total, metrics: metrics)
    }
    let sweep = lrSweep(problem, steps: maxSteps) { done($0) }
    let warmup = compareWarmup(problem, steps: maxSteps)
    done(sweepRates.count + 1)
    let range = lrRangeTest(problem)
    done(sweepRates.count + 2)
    let type = SchedulerType(rawValue: settings.lrSchedulerType)!
    let yours = train(problem, name: "your run",
                      schedule: makeSchedule(type, learningRate: peak, warmupSteps: warmupSteps, maxSteps: maxSteps),
                      steps: maxSteps)
    // Not "loss": a run that diverges is this lesson's subject, and `train` stops it itself.
    done(sweepRates.count + 3, metrics: ["your run": Double(yours.tailLoss())])
    return LessonResult(
        settings: settings,
        hf: hfScheduleCurves(learningRate: peak, warmupSteps: warmupSteps, maxSteps: maxSteps),
        torch: torchScheduleCurves(learningRate: peak, maxSteps: maxSteps),
        options: hfOptionCurves(learningRate: peak, warmupSteps: warmupSteps, maxSteps: maxSteps),
        sweep: sweep, warmup: warmup, range: range, yours: yours)
}
