// lesson-10-stable-training: gradient clipping rescues a diverging run; what fp16 and bf16 do to
// values and gradients; loss scaling, static and dynamic; a NaN caught at the step it appears.
import MiniTorch
import StableTraining
import Workbook

enum Main: LessonMain {
    static let folder = "10-stable-training"
    static let abstract = "Clipping a diverging run, fp16/bf16 rounding, loss scaling, and a NaN caught where it appears."
    static let flags: [LessonFlag<Settings>] = [
        LessonFlag("--learning-rate", \.learningRate, "SGD rate of the two clipping runs (too high without clipping).", .positive),
        LessonFlag("--max-grad-norm", \.maxGradNorm, "max_norm of clip_grad_norm_ in the clipped run (Hugging Face's max_grad_norm).", .positive),
        LessonFlag("--max-steps", \.maxSteps, "Optimizer steps of the clipping runs.", .range(1...20_000)),
        LessonFlag("--bad-batch-step", \.badBatchStep, "Step whose batch carries a NaN in the bad-batch run (at most --max-steps).", .atLeast(1)),
    ]

    static func main(_ settings: Settings, _ lesson: LessonRun) throws {
        BLAS.setThreads(1)   // small matrices: one thread is fastest and keeps runs reproducible
        try report(run(settings, progress: lesson.progress), to: lesson.out)
    }
}

Main.main()
