import Foundation
import GPTPretraining
import MiniTorch
import MiniTorchMPI

/// One data-parallel training run, as seen from one rank.
public struct TrainingRun: @unchecked Sendable {
    public let model: GPT2LMHeadModel
    /// Mean training loss of each step (averaged over the ranks).
    public let losses: [Double]
    public let steps: Int
    /// Tokens all ranks processed together.
    public let tokens: Int
    public let seconds: Double
    /// Seconds in gradient all-reduce and (ZeRO) weight all-gather, summed over the steps.
    public let communicationSeconds: Double
    /// Seconds spent waiting for the slowest rank to finish its backward (a barrier before the
    /// all-reduce, there to tell the wait from the transfer; DDP has none, its all-reduce waits).
    public let waitSeconds: Double
    /// Bytes this rank sent, per step.
    public let bytesSentPerStep: Double
    /// Bytes of gradients one step synchronises.
    public let gradientBytes: Int
    /// Bytes of optimizer state this rank holds.
    public let optimizerStateBytes: Int
    public var tokensPerSecond: Double { Double(tokens) / seconds }
}

/// The optimizer of every run: AdamW with nanoGPT's groups (decay on matrices only), either whole
/// on every rank, or sharded (ZeRO stage 1).
enum StepOptimizer {
    case full(ParameterGroups)
    case zero(ZeroRedundancyOptimizer)

    init(_ model: Module, _ s: Settings, learningRate: Float, zero: Bool, communicator: Communicator) {
        let parameters = model.namedParameters().map(\.1)
        let matrices = parameters.filter { $0.rank >= 2 }, others = parameters.filter { $0.rank < 2 }
        let betas = (s.adamBeta1, s.adamBeta2)
        if zero {
            self = .zero(ZeroRedundancyOptimizer(groups: [(matrices, s.weightDecay), (others, 0)], learningRate: learningRate,
                                                 betas: betas, communicator: communicator))
        } else {
            self = .full(ParameterGroups([
                AdamW(parameters: matrices, learningRate: learningRate, betas: betas, weightDecay: s.weightDecay),
                AdamW(parameters: others, learningRate: learningRate, betas: betas, weightDecay: 0),
            ]))
        }
    }

    var parameters: [Tensor] { switch self { case .full(let o): o.parameters; case .zero(let o): o.parameters } }
    var stateBytes: Int { switch self { case .full(let o): o.stateBytes; case .zero(let o): o.stateBytes } }
    var communicationSeconds: Double { if case .zero(let o) = self { o.communicationSeconds } else { 0 } }
    func setLearningRate(_ lr: Float) { switch self { case .full(let o): o.learningRate = lr; case .zero(let o): o.learningRate = lr } }
    func zeroGrad() { for p in parameters { p.zeroGrad() } }
    func step() throws { switch self { case .full(let o): o.step(); case .zero(let o): try o.step() } }
}

/// Trains lesson 13's GPT on `communicator.worldSize` ranks: each rank reads its shard of every
/// global batch, computes the gradient of its micro-batch, the buckets average the gradients over
/// the ranks, and every rank takes the same AdamW step (clipped, on the warm-up + cosine schedule).
/// Every rank builds the model from the same seed: the same starting weights (DDP instead
/// broadcasts rank 0's weights when it wraps the model).
public func trainDataParallel(_ s: Settings, data: WindowDataset, communicator: Communicator, steps: Int, learningRate: Float,
                              zero: Bool = false, algorithm: AllReduceChoice = .library, progress: (Int) -> Void = { _ in }) throws -> TrainingRun {
    let model = GPT2LMHeadModel(config: s.modelConfig, generator: Generator(seed: s.seed))
    let optimizer = StepOptimizer(model, s, learningRate: learningRate, zero: zero, communicator: communicator)
    let buckets = GradientBuckets(parameters: optimizer.parameters, communicator: communicator, bucketCapMB: s.bucketCapMB)
    let schedule = getScheduler(.cosine, learningRate: learningRate, numWarmupSteps: min(s.warmupSteps, steps), numTrainingSteps: steps)
    var batches = ShardedBatches(data, rank: communicator.rank, worldSize: communicator.worldSize,
                                 batchSize: s.perDeviceTrainBatchSize, seed: s.seed)
    algorithm.apply(to: communicator)
    defer { AllReduceChoice.library.apply(to: communicator) }
    var losses: [Double] = [], waitSeconds = 0.0
    try communicator.barrier()
    let bytesBefore = communicator.bytesSent
    let start = Date()
    for step in 0..<steps {
        let batch = batches.next()
        // ANCHOR: step
        optimizer.setLearningRate(schedule.lr(at: step))
        let logits = model(inputIds: batch.inputs, shape: batch.shape)                // [B, T, vocab]
        let loss = crossEntropy(logits.reshape([-1, s.vocabSize]), batch.targets)     // this rank's mean
        optimizer.zeroGrad()
        loss.backward()                                                               // this rank's gradient
        let arrived = Date()
        try communicator.barrier()                                                    // (measuring only: the wait for the slowest rank)
        waitSeconds += Date().timeIntervalSince(arrived)
        try buckets.allReduceGradients()                                              // the average over the ranks
        clipGradNorm(optimizer.parameters, maxNorm: s.maxGradNorm)                    // same gradient, same clip
        try optimizer.step()                                                          // same step on every rank
        // ANCHOR_END: step
        losses.append(try communicator.allReduceSum([Double(loss.item())])[0] / Double(communicator.worldSize))
        progress(step + 1)
    }
    let seconds = Date().timeIntervalSince(start)
    return TrainingRun(model: model, losses: losses, steps: steps,
                       tokens: steps * communicator.worldSize * s.perDeviceTrainBatchSize * s.nPositions, seconds: seconds,
                       communicationSeconds: buckets.communicationSeconds + optimizer.communicationSeconds, waitSeconds: waitSeconds,
                       bytesSentPerStep: Double(communicator.bytesSent - bytesBefore) / Double(max(1, steps)),
                       gradientBytes: buckets.gradientBytes, optimizerStateBytes: optimizer.stateBytes)
}

/// The same steps in one process: for each step, the micro-batches every rank would read, in
/// rank order, their gradients accumulated (lesson 04), then divided by the number of
/// micro-batches. The lesson-04 equivalence across processes: the result must be the DDP run's
/// weights, bit for bit, with two ranks (g0 + g1 is one rounding whichever rank adds it).
// ANCHOR: accumulate
public func trainAccumulating(_ s: Settings, data: WindowDataset, microBatches n: Int, steps: Int, learningRate: Float) -> GPT2LMHeadModel {
    let model = GPT2LMHeadModel(config: s.modelConfig, generator: Generator(seed: s.seed))
    let optimizer = StepOptimizer(model, s, learningRate: learningRate, zero: false, communicator: SingleProcess())
    let schedule = getScheduler(.cosine, learningRate: learningRate, numWarmupSteps: min(s.warmupSteps, steps), numTrainingSteps: steps)
    var streams = (0..<n).map { ShardedBatches(data, rank: $0, worldSize: n, batchSize: s.perDeviceTrainBatchSize, seed: s.seed) }
    for step in 0..<steps {
        optimizer.setLearningRate(schedule.lr(at: step))
        optimizer.zeroGrad()
        for r in 0..<n {                                       // rank r's micro-batch, here in turn
            let batch = streams[r].next()
            let logits = model(inputIds: batch.inputs, shape: batch.shape)
            crossEntropy(logits.reshape([-1, s.vocabSize]), batch.targets).backward()   // grads add up
        }
        for p in optimizer.parameters {
            guard let g = p.grad else { continue }
            for j in 0..<g.count { g.pointer[j] /= Float(n) }  // the sum over micro-batches, as the average
        }
        clipGradNorm(optimizer.parameters, maxNorm: s.maxGradNorm)
        try! optimizer.step()                                  // the full optimizer: nothing to communicate
    }
    return model
}
// ANCHOR_END: accumulate

/// Which all-reduce the gradient buckets use (on MPI; the world of one has none).
public enum AllReduceChoice: Sendable {
    case library, ring
    func apply(to communicator: Communicator) {
        (communicator as? MPICommunicator)?.algorithm = self == .ring ? .ring : .library
    }
}

/// Every rank's weights, flattened in `namedParameters()` order.
public func flatWeights(_ model: Module) -> [Float] {
    model.namedParameters().flatMap { Array(UnsafeBufferPointer(start: $0.1.pointer, count: $0.1.count)) }
}

