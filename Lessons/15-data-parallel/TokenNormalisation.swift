import Foundation
import GPTPretraining
import MiniTorch

/// The normalisation trap across devices. Sequences of unequal length (padding targets are
/// -100, ignored) land on the ranks in unequal token counts, as they do when a sampler groups
/// similar lengths (Hugging Face's `group_by_length`). Each rank's mean loss, averaged by DDP,
/// weighs a token on the rank with few tokens more than one on the busy rank; the one-process
/// loss is the mean over all tokens. Hugging Face's fix (`TrainingArguments
/// .average_tokens_across_devices`, transformers' trainer.py): gather the token count of the
/// global batch (`num_items_in_batch`), each rank divides its summed loss by it, and multiplies
/// by the world size because DDP will divide the gradients by it again.
public struct NormalisationTrap: Sendable {
    /// Tokens with a target on each rank.
    public let tokensPerRank: [Int]
    /// Loss of the global batch: one process, mean over every token.
    public let oneProcessLoss: Double
    /// The mean of the ranks' mean losses (what averaging per-rank means gives).
    public let meanOfMeansLoss: Double
    /// ||g - g_one_process|| / ||g_one_process|| for each way of averaging.
    public let trapGradientError: Double
    public let fixGradientError: Double
}

/// Lengths of the sequences of one global batch, shortest first, so rank 0 gets the short ones.
func groupedLengths(count: Int, context: Int, seed: Int) -> [Int] {
    let g = Generator(seed: seed)
    return (0..<count).map { _ in 4 + g.int(below: context - 3) }.sorted()   // 4 ... T tokens
}

/// A batch of windows whose targets after `lengths[i]` are padding (-100).
func padded(_ batch: GPTPretraining.Batch, lengths: [Int]) -> GPTPretraining.Batch {
    let t = batch.shape[1]
    var targets = batch.targets
    for (i, n) in lengths.enumerated() { for j in n..<t { targets[i * t + j] = -100 } }
    return GPTPretraining.Batch(inputs: batch.inputs, targets: targets, shape: batch.shape)
}

/// The three gradients of one global batch, on the model as built from the seed.
public func measureNormalisationTrap(_ s: Settings, data: WindowDataset, communicator: Communicator) throws -> NormalisationTrap {
    let n = communicator.worldSize, b = s.perDeviceTrainBatchSize
    let model = GPT2LMHeadModel(config: s.modelConfig, generator: Generator(seed: s.seed))
    let parameters = model.namedParameters().map(\.1)
    let lengths = groupedLengths(count: n * b, context: s.nPositions, seed: s.seed)
    var stream = ShardedBatches(data, rank: 0, worldSize: 1, batchSize: n * b, seed: s.seed)
    let global = padded(stream.next(), lengths: lengths)                       // [N*B, T], the same on every rank
    let rows = (communicator.rank * b)..<((communicator.rank + 1) * b)          // my B sequences
    let t = s.nPositions
    let mine = GPTPretraining.Batch(inputs: Array(global.inputs[(rows.lowerBound * t)..<(rows.upperBound * t)]),
                     targets: Array(global.targets[(rows.lowerBound * t)..<(rows.upperBound * t)]), shape: [b, t])
    let myTokens = mine.targets.filter { $0 != -100 }.count

    func gradient(_ loss: () -> Tensor, synchronise: Bool) throws -> (loss: Double, grad: [Float]) {
        for p in parameters { p.zeroGrad() }
        let l = loss()
        l.backward()
        if synchronise { try GradientBuckets(parameters: parameters, communicator: communicator).allReduceGradients() }
        let grad = parameters.flatMap { p in p.grad.map { Array(UnsafeBufferPointer(start: $0.pointer, count: $0.count)) } ?? [Float](repeating: 0, count: p.count) }
        return (Double(l.item()), grad)
    }
    func logits(_ batch: GPTPretraining.Batch) -> Tensor { model(inputIds: batch.inputs, shape: batch.shape).reshape([-1, s.vocabSize]) }   // [B*T, vocab]

    // One process: the whole global batch, mean over its tokens.
    let reference = try gradient({ crossEntropy(logits(global), global.targets) }, synchronise: false)
    // ANCHOR: trap
    // The trap: each rank's own mean, then DDP's average over ranks.
    let trap = try gradient({ crossEntropy(logits(mine), mine.targets) }, synchronise: true)
    // The fix: the global token count first, then each rank's sum over it (times N: DDP divides by N).
    let globalTokens = try communicator.allReduceSum([Double(myTokens)])[0]
    let fix = try gradient({ crossEntropy(logits(mine), mine.targets, reduction: .sum) * Float(Double(n) / globalTokens) }, synchronise: true)
    // ANCHOR_END: trap
    let counts = try communicator.allReduceSum((0..<n).map { $0 == communicator.rank ? Double(myTokens) : 0 }).map { Int($0) }
    let meanOfMeans = try communicator.allReduceSum([trap.loss])[0] / Double(n)

    func relativeError(_ g: [Float]) -> Double {
        var d = 0.0, r = 0.0
        for (a, b) in zip(g, reference.grad) { d += Double(a - b) * Double(a - b); r += Double(b) * Double(b) }
        return (d / r).squareRoot()
    }
    return NormalisationTrap(tokensPerRank: counts, oneProcessLoss: reference.loss, meanOfMeansLoss: meanOfMeans,
                             trapGradientError: relativeError(trap.grad), fixGradientError: relativeError(fix.grad))
}
