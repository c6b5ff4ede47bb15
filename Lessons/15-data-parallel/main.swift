// lesson-15-data-parallel: lesson 13's GPT trained on several processes that add their
// gradients with MPI, as PyTorch's DistributedDataParallel does: the sampler's shards, bucketed
// all-reduce, bit-identity with one-process accumulation, the token-count trap, measured
// scaling, learning-rate scaling and ZeRO stage 1.
import ArgumentParser
import DataParallel
import Foundation
import MiniTorch
import Workbook

struct DataParallelLesson: LessonCommand {
    static let lessonFolder = "15-data-parallel"
    static let configuration = lessonConfiguration(
        abstract: "Train lesson 13's GPT on several MPI processes: DDP's all-reduce, ZeRO-1, scaling measured.")

    @OptionGroup var options: LessonOptions

    @Option(help: "Ranks to start (re-launches itself under mpirun -np N, as torchrun --nproc-per-node N; 1 runs without MPI).")
    var nprocPerNode = 2
    @Option(help: "Optimizer steps of each data-parallel run (the one-rank baseline takes N times as many).")
    var maxSteps = 60
    @Option(help: "Sequences of 64 tokens per rank and step.")
    var perDeviceTrainBatchSize = 8
    @Option(help: "Peak learning rate of the one-rank baseline (AdamW, warm-up then cosine).")
    var learningRate: Float = 1e-3
    @Option(help: "Steps of the short runs compared bit for bit.")
    var equivalenceSteps = 5
    @Flag(help: "Skip the learning-rate comparison (the four long runs).")
    var skipLearningRates = false
    @Option(help: "Seconds after which the ranks are stopped, if they have not finished.")
    var timeout: Double = 600

    func validate() throws {
        try inRange(nprocPerNode, 1...8, "--nproc-per-node")
        try inRange(maxSteps, 1...100_000, "--max-steps")
        try inRange(perDeviceTrainBatchSize, 1...256, "--per-device-train-batch-size")
        try positive(learningRate, "--learning-rate")
        try inRange(equivalenceSteps, 1...10_000, "--equivalence-steps")
        try positive(timeout, "--timeout")
    }

    func run() throws {
        _ = try outputFolder()   // a folder we cannot write stops us before any rank starts
        if try relaunchUnderMPI(processes: nprocPerNode, timeout: timeout) { return }
        BLAS.setThreads(1)   // one BLAS thread per rank: the ranks are the parallelism
        var s = Settings()
        s.maxSteps = maxSteps
        s.perDeviceTrainBatchSize = perDeviceTrainBatchSize
        s.learningRate = learningRate
        s.equivalenceSteps = equivalenceSteps
        s.compareLearningRates = !skipLearningRates
        s.seed = options.seed
        try runAsRank(s) { c in
            let out = c.rank == 0 ? try outputFolder() : nil
            var bar = ProgressBar(total: lessonParts(s, worldSize: c.worldSize), label: "parts", quiet: options.quiet || c.rank != 0)
            let r = try runLesson(s, communicator: c) { bar.update($0) }
            bar.finish()
            guard let out else { return }
            try writeReport(r, to: out, quiet: options.quiet)
        }
    }
}

DataParallelLesson.main()
