// lesson-02-batches-vs-epochs: updates per epoch, and batch GD vs mini-batch vs SGD on one data set.
import BatchesVsEpochs
import Workbook

enum Main: LessonMain {
    static let folder = "02-batches-vs-epochs"
    static let abstract = "Count updates per epoch, then train with the whole set, mini-batches and single samples."
    static let flags: [LessonFlag<Settings>] = [
        LessonFlag("--per-device-train-batch-size", \.miniBatchSize, "Batch size of the mini-batch run and of the update counts (the data set has 200 samples).", .range(1...200)),
        LessonFlag("--num-train-epochs", \.numTrainEpochs, "Epochs each of the three runs trains for.", .range(1...1000)),
        LessonFlag("--learning-rate", \.learningRate, "Step size of plain SGD, the same for all three runs.", .positive),
        LessonFlag("--target-loss", \.targetLoss, "Whole-set loss the table asks each run to reach.", .positive),
    ]

    static func main(_ settings: Settings, _ lesson: LessonRun) throws {
        try report(run(settings, progress: lesson.progress), to: lesson.out)
    }
}

Main.main()
