// lesson-11-monitoring: one run that logs what a practitioner watches (losses, accuracy,
// perplexity, macro-F1, learning rate, gradient norm, step time, samples/s, peak memory) and
// diagnoses its learning curves at the end.
import MiniTorch
import Monitoring
import Workbook

enum Main: LessonMain {
    static let folder = "11-monitoring"
    static let abstract = "A training dashboard: losses, accuracy, perplexity, macro-F1, lr, grad norm, speed, memory, diagnosis."
    static let flags: [LessonFlag<Settings>] = [
        LessonFlag("--learning-rate", \.learningRate, "Peak AdamW learning rate (linear warmup, then linear decay to 0).", .positive),
        LessonFlag("--num-train-epochs", \.numTrainEpochs, "Passes over the 1,600 training tickets.", .range(1...500)),
        LessonFlag("--per-device-train-batch-size", \.perDeviceTrainBatchSize, "Tickets per optimizer step.", .range(1...1600)),
        LessonFlag("--warmup-steps", \.warmupSteps, "Steps of linear warmup.", .atLeast(0)),
        LessonFlag("--max-grad-norm", \.maxGradNorm, "max_norm of gradient clipping.", .positive),
        LessonFlag("--logging-steps", \.loggingSteps, "Log the training loss and evaluate every this many steps.", .atLeast(1)),
    ]

    static func main(_ settings: Settings, _ lesson: LessonRun) throws {
        BLAS.setThreads(1)   // small matrices: one thread is fastest and keeps runs reproducible
        try report(run(settings, progress: lesson.progress), to: lesson.out)
    }
}

Main.main()
