// lesson-15-data-parallel: lesson 13's GPT trained on several processes that add their
// gradients with MPI, as PyTorch's DistributedDataParallel does: the sampler's shards, bucketed
// all-reduce, bit-identity with one-process accumulation, the token-count trap, measured
// scaling, learning-rate scaling and ZeRO stage 1.
import DataParallel
import Workbook

enum Main: LessonMain {
    static let folder = "15-data-parallel"
    static let abstract = "Train lesson 13's GPT on several MPI processes: DDP's all-reduce, ZeRO-1, scaling measured."
    static let flags: [LessonFlag<Settings>] = [
        LessonFlag("--nproc-per-node", \.nprocPerNode, "Ranks to start (re-launches itself under mpirun -np N, as torchrun --nproc-per-node N; 1 runs without MPI).", .range(1...8)),
        LessonFlag("--max-steps", \.maxSteps, "Optimizer steps of each data-parallel run (the one-rank baseline takes N times as many).", .range(1...100_000)),
        LessonFlag("--per-device-train-batch-size", \.perDeviceTrainBatchSize, "Sequences of 64 tokens per rank and step.", .range(1...256)),
        LessonFlag("--learning-rate", \.learningRate, "Peak learning rate of the one-rank baseline (AdamW, warm-up then cosine).", .positive),
        LessonFlag("--equivalence-steps", \.equivalenceSteps, "Steps of the short runs compared bit for bit.", .range(1...10_000)),
        LessonFlag(switch: "--skip-learning-rates", \.skipLearningRates, "Skip the learning-rate comparison (the four long runs)."),
        LessonFlag("--timeout", \.timeout, "Seconds after which the ranks are stopped, if they have not finished.", .positive),
    ]

    static func main(_ settings: Settings, _ lesson: LessonRun) throws {
        try launch(settings, progress: lesson.progress) { try report($0, to: lesson.out) }
    }
}

Main.main()
