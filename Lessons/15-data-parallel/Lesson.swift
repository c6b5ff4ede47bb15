import Foundation
import GPTPretraining
import MiniTorch
import MiniTorchMPI
import Workbook

/// Everything the lesson runs, with Hugging Face's names (GPT2Config, TrainingArguments).
public struct Settings: SeededSettings, Equatable {
    // Lesson 13's GPT and tokenizer.
    public var vocabSize = 2048
    public var nEmbd = 128
    public var nLayer = 2
    public var nHead = 4
    public var nPositions = 64
    // Training, per rank: the global batch is worldSize x perDeviceTrainBatchSize sequences.
    public var perDeviceTrainBatchSize = 8
    /// Steps of each data-parallel run; the one-rank baseline takes worldSize times as many, so
    /// every run sees the same number of sequences.
    public var maxSteps = 60
    /// The learning rate of the one-rank baseline (AdamW, warm-up then cosine to 0).
    public var learningRate: Float = 1e-3
    public var warmupSteps = 10
    public var weightDecay: Float = 0.1
    public var adamBeta1: Float = 0.9
    public var adamBeta2: Float = 0.95
    public var maxGradNorm: Float = 1
    /// DDP's bucket_cap_mb (its default is 25); 1 MB cuts this model's 2.7 MB of gradients into
    /// several buckets, as 25 MB cuts a large model's.
    public var bucketCapMB = 1.0
    /// Steps of the short runs compared bit for bit (DDP, one-process accumulation, ring, ZeRO-1).
    public var equivalenceSteps = 5
    /// Held-out batches each learning-rate run is evaluated on.
    public var evalBatches = 16
    /// The learning-rate comparison (four runs of maxSteps); off for the quick tests.
    public var compareLearningRates = true
    public var seed = 42
    public var corpusDirectory: URL? = nil
    // Launching (torchrun's --nproc-per-node).
    /// Ranks the executable starts under mpirun; 1 runs in this process, without MPI.
    public var nprocPerNode = 2
    /// Seconds after which the launcher stops the ranks, if they have not finished.
    public var timeout: Double = 600

    public init() {}

    /// `--skip-learning-rates`: the quick run, without the learning-rate comparison.
    public var skipLearningRates: Bool {
        get { !compareLearningRates }
        set { compareLearningRates = !newValue }
    }

    /// No dropout, as lesson 13: a dropout mask is random, and the comparison with one process
    /// needs each micro-batch's forward to be the same computation wherever it runs.
    public var modelConfig: GPT2Config {
        GPT2Config(vocabSize: vocabSize, nPositions: nPositions, nEmbd: nEmbd, nLayer: nLayer, nHead: nHead, bosTokenId: 0, eosTokenId: 0).withDropout(0)
    }
    public var tokensPerRankStep: Int { perDeviceTrainBatchSize * nPositions }
}

/// The bit-for-bit comparisons of the short runs.
public struct Equivalence: Sendable {
    public let steps: Int
    /// Every rank's weights equal rank 0's, bit for bit.
    public let ranksIdentical: Bool
    /// The DDP weights against one process accumulating the ranks' micro-batches.
    public let accumulationIdentical: Bool
    public let accumulationMaxDifference: Float
    /// The ring all-reduce written out against MPI_Allreduce, and ZeRO-1 against full AdamW.
    public let ringIdentical: Bool
    public let zeroIdentical: Bool
    /// Bytes rank 0 sent per step with the ring (counted), and the ring's 2(N-1)/N x gradient bytes.
    public let ringBytesPerStep: Double
    public let gradientBytes: Int
    /// Seconds per step in communication: gradient all-reduce alone, and with ZeRO's all-gather.
    public let allReduceSecondsPerStep: Double
    public let zeroCommunicationSecondsPerStep: Double
    /// Optimizer state per rank: full AdamW, ZeRO-1.
    public let fullStateBytes: Int
    public let zeroStateBytes: Int
}

/// One learning-rate run: its rule, rate, ranks, and where it ended.
public struct RateRun: Sendable {
    public let rule: String
    /// The rule as a file name: one-rank, same-rate, linear, square-root.
    public var slug: String {
        rule.hasPrefix("linear") ? "linear" : rule.hasPrefix("square root") ? "square-root" : rule.replacingOccurrences(of: " ", with: "-")
    }
    public let learningRate: Float
    public let ranks: Int
    public let steps: Int
    public let sequencesSeen: Int
    public let finalTrainLoss: Double
    public let evalLoss: Double
    public let tokensPerSecond: Double
    /// Share of the step spent in communication, and waiting for the slowest rank.
    public let communicationShare: Double
    public let waitShare: Double
    public let losses: [Double]
}

public struct LessonResult: @unchecked Sendable {
    public let settings: Settings
    public let rank: Int
    public let worldSize: Int
    public let equivalence: Equivalence
    public let trap: NormalisationTrap
    public let rateRuns: [RateRun]
    public let samplerExample: [[Int]]
    public let corpusSeconds: Double

    /// Ring all-reduce: each rank sends 2 (N - 1) / N of the buffer.
    public var ringFormulaBytes: Double { 2 * Double(worldSize - 1) / Double(worldSize) * Double(equivalence.gradientBytes) }
    public var oneRank: RateRun? { rateRuns.first { $0.ranks == 1 } }
    public var dataParallel: RateRun? { rateRuns.first { $0.ranks == worldSize && $0.rule == "same rate" } }
    /// Tokens per second with N ranks over N x with one: 1 is perfect scaling.
    public var scalingEfficiency: Double? {
        guard let one = oneRank, let many = dataParallel, worldSize > 1 else { return nil }
        return many.tokensPerSecond / (Double(worldSize) * one.tokensPerSecond)
    }
}

/// Parts `run` reports through `progress`.
public func lessonParts(_ s: Settings, worldSize: Int) -> Int { 4 + (s.compareLearningRates ? 4 : 0) }

/// The communicator of this process: MPI's world under mpirun, the world of one otherwise.
public func makeCommunicator() throws -> Communicator {
    Launcher.isUnderMPI ? try MPICommunicator() : SingleProcess()
}

/// Runs the whole lesson on this rank (every rank calls it; rank 0's result is the report).
public func run(_ s: Settings, communicator c: Communicator, progress: LessonProgress = .silent) throws -> LessonResult {
    let parts = lessonParts(s, worldSize: c.worldSize)
    func done(_ part: Int) { progress.update("parts", step: part, of: parts) }
    let corpusStart = Date()
    let corpus = try TokenCorpus(vocabSize: s.vocabSize, directory: s.corpusDirectory)   // every rank trains the same BPE
    let corpusSeconds = Date().timeIntervalSince(corpusStart)
    let data = WindowDataset(corpus.train, context: s.nPositions)
    done(1)

    // The short runs, compared bit for bit.
    let e = s.equivalenceSteps
    let ddp = try trainDataParallel(s, data: data, communicator: c, steps: e, learningRate: s.learningRate)
    let weights = flatWeights(ddp.model)
    let everyRank = try gather(weights, c)
    let ranksIdentical = (0..<c.worldSize).allSatisfy { r in everyRank[(r * weights.count)..<((r + 1) * weights.count)].elementsEqual(weights) { $0.bitPattern == $1.bitPattern } }
    let ring = try trainDataParallel(s, data: data, communicator: c, steps: e, learningRate: s.learningRate, algorithm: .ring)
    let zero = try trainDataParallel(s, data: data, communicator: c, steps: e, learningRate: s.learningRate, zero: true)
    done(2)
    // One process replays the ranks' micro-batches (rank 0; the others wait).
    var accumulationDifference: Float = 0
    if c.rank == 0 {
        let reference = flatWeights(trainAccumulating(s, data: data, microBatches: c.worldSize, steps: e, learningRate: s.learningRate))
        accumulationDifference = zip(reference, weights).reduce(0) { max($0, abs($1.0 - $1.1)) }
        if !zip(reference, weights).allSatisfy({ $0.bitPattern == $1.bitPattern }) && accumulationDifference == 0 { accumulationDifference = .leastNonzeroMagnitude }
    }
    try c.barrier()
    let equivalence = Equivalence(
        steps: e, ranksIdentical: ranksIdentical,
        accumulationIdentical: accumulationDifference == 0, accumulationMaxDifference: accumulationDifference,
        ringIdentical: bitwiseEqual(flatWeights(ring.model), weights), zeroIdentical: bitwiseEqual(flatWeights(zero.model), weights),
        ringBytesPerStep: ring.bytesSentPerStep, gradientBytes: ddp.gradientBytes,
        allReduceSecondsPerStep: ddp.communicationSeconds / Double(e), zeroCommunicationSecondsPerStep: zero.communicationSeconds / Double(e),
        fullStateBytes: ddp.optimizerStateBytes, zeroStateBytes: zero.optimizerStateBytes)
    done(3)

    let trap = try measureNormalisationTrap(s, data: data, communicator: c)
    done(4)

    var runs: [RateRun] = []
    if s.compareLearningRates {
        let heldOut = evaluationBatches(corpus.validation, batchSize: s.perDeviceTrainBatchSize, context: s.nPositions, limit: s.evalBatches)
        func record(_ rule: String, _ run: TrainingRun, ranks: Int, lr: Float) throws {
            let eval = GPTPretraining.evaluate(run.model, heldOut, corpus: corpus).loss
            if !eval.isFinite || run.losses.contains(where: { !$0.isFinite }) {
                throw LessonError("the loss became NaN in the run \"\(rule)\" (learning rate \(lr)); try a lower --learning-rate")
            }
            runs.append(RateRun(rule: rule, learningRate: lr, ranks: ranks, steps: run.steps, sequencesSeen: run.steps * ranks * s.perDeviceTrainBatchSize,
                                finalTrainLoss: run.losses.suffix(10).reduce(0, +) / Double(min(10, run.losses.count)), evalLoss: eval,
                                tokensPerSecond: run.tokensPerSecond, communicationShare: run.communicationSeconds / run.seconds,
                                waitShare: run.waitSeconds / run.seconds, losses: run.losses))
        }
        // One rank alone (rank 0; the others wait): batch B, N x the steps.
        if c.rank == 0 {
            let alone = try trainDataParallel(s, data: data, communicator: SingleProcess(), steps: s.maxSteps * c.worldSize, learningRate: s.learningRate)
            try record("one rank", alone, ranks: 1, lr: s.learningRate)
        }
        try c.barrier()
        done(5)
        let n = Float(c.worldSize)
        for (k, (rule, lr)) in [("same rate", s.learningRate), ("linear (x N)", s.learningRate * n), ("square root (x sqrt N)", s.learningRate * n.squareRoot())].enumerated()
            where c.worldSize > 1 {
            let run = try trainDataParallel(s, data: data, communicator: c, steps: s.maxSteps, learningRate: lr)
            try record(rule, run, ranks: c.worldSize, lr: lr)
            done(6 + k)
        }
    }
    done(parts)
    let example = (0..<3).map { DistributedSampler(count: 10, numReplicas: 3, rank: $0, shuffle: false).indices() }   // unshuffled, to read
    return LessonResult(settings: s, rank: c.rank, worldSize: c.worldSize, equivalence: equivalence, trap: trap, rateRuns: runs,
                        samplerExample: example, corpusSeconds: corpusSeconds)
}

func bitwiseEqual(_ a: [Float], _ b: [Float]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern } }

/// Every rank's copy of `values`, concatenated in rank order.
func gather(_ values: [Float], _ c: Communicator) throws -> [Float] {
    var all = [Float](repeating: 0, count: values.count * c.worldSize)
    try values.withUnsafeBufferPointer { v in try all.withUnsafeMutableBufferPointer { try c.allGather(v, into: $0) } }
    return all
}
