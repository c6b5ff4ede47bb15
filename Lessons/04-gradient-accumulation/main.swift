// lesson-04-gradient-accumulation: the same gradient as a big batch, in less memory, if the loss is
// normalised by tokens.
import GradientAccumulation
import Workbook

enum Main: LessonMain {
    static let folder = "04-gradient-accumulation"
    static let abstract = "Gradient accumulation: the same gradient as a big batch, in less memory, if the loss is normalised by tokens."
    static let flags: [LessonFlag<Settings>] = [
        LessonFlag("--per-device-train-batch-size", \.perDeviceTrainBatchSize, "Sequences per micro-batch (one forward and backward pass).", .atLeast(1)),
        LessonFlag("--gradient-accumulation-steps", \.gradientAccumulationSteps, "Micro-batches whose gradients add up before each optimizer step.", .range(1...64)),
        LessonFlag("--learning-rate", \.learningRate, "AdamW learning rate of the three training runs.", .positive),
        LessonFlag("--num-train-epochs", \.numTrainEpochs, "Passes over the training corpus.", .range(1...100)),
    ]

    static func main(_ settings: Settings, _ lesson: LessonRun) throws {
        try report(run(settings, progress: lesson.progress), to: lesson.out)
    }
}

Main.main()
