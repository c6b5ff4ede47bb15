// lesson-06-masked-language-modeling: pretrain a tiny RoBERTa with masked language modelling,
// check its masking, compare dynamic with static masks, and fill in some blanks.
import MaskedLanguageModeling
import MiniTorch
import Workbook

enum Main: LessonMain {
    static let folder = "06-masked-language-modeling"
    static let abstract = "Pretrain a tiny RoBERTa with dynamic 15% masking (80/10/10); perplexity, dynamic vs static masking, fill-mask."
    static let flags: [LessonFlag<Settings>] = [
        LessonFlag("--learning-rate", \.pretraining.learningRate, "Peak learning rate of AdamW (linear warmup, then linear decay to 0).", .positive),
        LessonFlag("--per-device-train-batch-size", \.pretraining.perDeviceTrainBatchSize, "Sentences per batch.", .range(1...3600)),
        LessonFlag("--num-train-epochs", \.pretraining.numTrainEpochs, "Passes over the 3,600 training sentences.", .range(1...1000)),
        LessonFlag("--max-steps", \.pretraining.maxSteps, "Stop after this many updates instead of --num-train-epochs.", .range(1...1_000_000)),
        LessonFlag("--warmup-steps", \.pretraining.warmupSteps, "Updates over which the learning rate rises from 0 to its peak.", .atLeast(0)),
        LessonFlag("--weight-decay", \.pretraining.weightDecay, "AdamW weight decay (not on biases and LayerNorm weights).", .range(0...1)),
        LessonFlag("--adam-beta2", \.pretraining.adamBeta2, "AdamW's beta2 (RoBERTa 0.98, BERT 0.999).", .range(0..<1)),
        LessonFlag("--mlm-probability", \.pretraining.mlmProbability, "Share of the (non-special, non-padding) tokens selected for prediction.", .between(0, 1)),
        LessonFlag("--eval-steps", \.pretraining.evalSteps, "Measure the validation loss every this many updates (a row of metrics.csv).", .range(1...1_000_000)),
        LessonFlag("--comparison-epochs", \.comparisonEpochs, "Epochs of the dynamic-vs-static masking comparison on 400 sentences.", .range(1...1000)),
        LessonFlag("--save-steps", \.saveSteps, "Save a checkpoint-<step> folder in --out every this many updates and at the last one.", .atLeast(1)),
        LessonFlag("--save-total-limit", \.saveTotalLimit, "Keep only the newest this many checkpoint folders, deleting older ones (default: keep all).", .atLeast(1)),
        LessonFlag("--resume-from-checkpoint", \.resumeFromCheckpoint,
                   "Continue the pretraining from a checkpoint folder, or from the newest one in --out with 'latest'; same flags as the run that saved it.",
                   Valid("a checkpoint folder or latest") { $0.isEmpty ? "must name a checkpoint folder or latest (got an empty string)" : nil },
                   valueName: "folder|latest"),
    ]

    static func main(_ settings: Settings, _ lesson: LessonRun) throws {
        BLAS.setThreads(1)   // small matrices: one thread is fastest and keeps runs reproducible
        try report(run(settings, outputDir: lesson.out.path, quiet: lesson.quiet, progress: lesson.progress), to: lesson.out)
    }
}

Main.main()
