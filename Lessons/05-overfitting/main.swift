// lesson-05-overfitting: overfit, underfit, erratic and well-fit runs on one noisy data set; early
// stopping, dropout and weight decay.
import Overfitting
import Workbook

enum Main: LessonMain {
    static let folder = "05-overfitting"
    static let abstract = "Overfit, underfit, erratic and well-fit runs on one noisy data set; early stopping, dropout and weight decay."
    static let flags: [LessonFlag<Settings>] = [
        LessonFlag("--learning-rate", \.learningRate, "Learning rate of the overfit and well-fit runs (AdamW).", .positive),
        LessonFlag("--num-train-epochs", \.numTrainEpochs, "Epoch budget of every run.", .range(3...10_000)),
        // A batch larger than the 200 training points would silently be the whole set.
        LessonFlag("--per-device-train-batch-size", \.perDeviceTrainBatchSize, "Batch size of the overfit, underfit and well-fit runs.", .range(1...200)),
        LessonFlag("--weight-decay", \.weightDecay, "AdamW weight decay of the well-fit run.", .range(0...10)),
        LessonFlag("--dropout", \.dropout, "Dropout probability after each hidden layer of the well-fit run.", .range(0..<1)),
        LessonFlag("--early-stopping-patience", \.earlyStoppingPatience, "Epochs without a new best validation loss before the well-fit run stops.", .atLeast(1)),
        LessonFlag("--hidden-size", \.hiddenSize, "Width of each of the two hidden layers.", .atLeast(1)),
        LessonFlag("--underfit-learning-rate", \.underfitLearningRate, "Learning rate of the underfit run.", .positive),
        LessonFlag("--erratic-learning-rate", \.erraticLearningRate, "Learning rate of the erratic run.", .positive),
        LessonFlag("--erratic-batch-size", \.erraticBatchSize, "Batch size of the erratic run.", .range(1...200)),
    ]

    static func main(_ settings: Settings, _ lesson: LessonRun) throws {
        try report(run(settings, progress: lesson.progress), to: lesson.out)
    }
}

Main.main()
