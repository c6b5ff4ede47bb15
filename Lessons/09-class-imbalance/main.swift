// lesson-09-class-imbalance: an 80/20 sentiment set and a learning rate of 1e-5, as in a failed
// DistilBERT fine-tune; what accuracy hides, and what class weights, a higher rate and
// oversampling each change.
import ClassImbalance
import MiniTorch
import Workbook

enum Main: LessonMain {
    static let folder = "09-class-imbalance"
    static let abstract = "80/20 reviews at learning rate 1e-5: 80% accuracy, no negative review found; class weights, a higher rate, oversampling."
    static let flags: [LessonFlag<Settings>] = [
        LessonFlag("--learning-rate", \.learningRate, "AdamW rate of the baseline and class-weights runs (the source's 1e-5).", .positive),
        LessonFlag("--higher-learning-rate", \.higherLearningRate, "AdamW rate of the three \"higher lr\" runs.", .positive),
        LessonFlag("--class-weights", \.classWeights, "The baseline's loss weighting: none or balanced (the class-weights runs always use balanced)."),
        LessonFlag("--num-train-epochs", \.numTrainEpochs, "Passes over the training set, every run.", .range(1...500)),
        LessonFlag("--per-device-train-batch-size", \.perDeviceTrainBatchSize, "Reviews per optimizer step.", .range(1...1600)),
        LessonFlag("--minority-share", \.reviews.minorityShare, "Share of the minority (negative) class in the data set.", .range(0.05...0.5)),
    ]

    static func main(_ settings: Settings, _ lesson: LessonRun) throws {
        BLAS.setThreads(1)   // small matrices: one thread is fastest and keeps runs reproducible
        try report(run(settings, progress: lesson.progress), to: lesson.out)
    }
}

Main.main()
