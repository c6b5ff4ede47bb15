// lesson-01-learning-curves: a training loop written out in full, and the curves it draws.
import LearningCurves
import Workbook

enum Main: LessonMain {
    static let folder = "01-learning-curves"
    static let abstract = "Train a small classifier step by step: loss falls smoothly, accuracy moves in steps."
    static let flags: [LessonFlag<Settings>] = [
        LessonFlag("--learning-rate", \.learningRate, "Step size of plain SGD.", .positive),
        LessonFlag("--per-device-train-batch-size", \.perDeviceTrainBatchSize, "Examples per mini-batch (one optimizer step each).", .range(1...480)),
        LessonFlag("--num-train-epochs", \.numTrainEpochs, "Passes over the training set.", .range(1...1000)),
        LessonFlag("--logging-steps", \.loggingSteps, "Measure both data sets and log a row every this many steps.", .atLeast(1)),
    ]

    static func main(_ settings: Settings, _ lesson: LessonRun) throws {
        try report(run(settings, progress: lesson.progress), to: lesson.out)
    }
}

Main.main()
