// lesson-11-monitoring: one fine-tune of lesson 06's tiny RoBERTa, logged the way a practitioner
// watches it (losses, accuracy, macro-F1, perplexity, learning rate, gradient norm, update-to-weight
// ratios, loss scale and skipped steps under simulated fp16, step time, samples and tokens per
// second, memory, a fill-mask sample at each evaluation), its learning curves diagnosed at the end.
import MiniTorch
import Monitoring
import Workbook

enum Main: LessonMain {
    static let folder = "11-monitoring"
    static let abstract = "A training dashboard for a RoBERTa fine-tune: losses, accuracy, macro-F1, perplexity, lr, grad norm, update ratios, loss scale, speed, memory, fill-mask, diagnosis."
    static let flags: [LessonFlag<Settings>] = [
        LessonFlag("--learning-rate", \.learningRate, "Peak AdamW learning rate (linear warmup, then linear decay to 0).", .positive),
        LessonFlag("--num-train-epochs", \.numTrainEpochs, "Passes over the 800 training sentences.", .range(1...200)),
        LessonFlag("--per-device-train-batch-size", \.perDeviceTrainBatchSize, "Sentences per optimizer step.", .range(1...800)),
        LessonFlag("--warmup-ratio", \.warmupRatio, "Share of the steps spent in linear warmup.", .range(0..<1)),
        LessonFlag("--max-grad-norm", \.maxGradNorm, "max_norm of gradient clipping.", .positive),
        LessonFlag("--logging-steps", \.loggingSteps, "Log the training loss and evaluate every this many steps.", .atLeast(1)),
        LessonFlag("--precision", \.precision, "fp16: gradients rounded through fp16 with a dynamic loss scale (simulated); fp32: none."),
        LessonFlag("--growth-interval", \.growthInterval, "Clean steps before the loss scaler doubles the scale (PyTorch: 2000).", .range(1...100_000)),
        LessonFlag("--pretrained-dir", \.pretrainedDir, "Folder of lesson 06's pretrained model (pretrained and saved there if missing).", valueName: "dir"),
    ]

    static func main(_ settings: Settings, _ lesson: LessonRun) throws {
        BLAS.setThreads(1)   // small matrices: one thread is fastest and keeps runs reproducible
        try report(run(settings, progress: lesson.progress), to: lesson.out)
    }
}

Main.main()
