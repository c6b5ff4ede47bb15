import MiniTorch

/// How each micro-batch's loss is scaled before its `backward()`.
public enum LossNormalization: String, Sendable, CaseIterable {
    /// `loss / gradient_accumulation_steps`: every micro-batch's mean counts the same. The classic
    /// recipe, exact when every micro-batch holds the same number of tokens, and Hugging Face's
    /// Trainer's behaviour before October 2024.
    case divideBySteps = "divide-by-steps"
    /// Each micro-batch's mean times its share of the effective batch's tokens, which is the sum of
    /// token losses divided by all the tokens of the step (Hugging Face's `num_items_in_batch`).
    case divideByTokens = "divide-by-tokens"
}

/// What one effective batch's forward and backward passes measured.
public struct AccumulatedStep {
    /// The per-token mean loss of the whole effective batch: what a full batch would report.
    public let loss: Double
    /// The loss the gradient belongs to: equal to `loss` when normalised by tokens, the mean of
    /// the micro-batch means when divided by steps.
    public let objective: Double
    public let tokenCount: Int
    public let microBatchCount: Int
}

/// Cuts `sequences` into consecutive micro-batches of `size` (the last may be shorter), the way
/// a DataLoader with `per_device_train_batch_size` hands them out.
public func microBatches(_ sequences: [TokenSequence], size: Int) -> [[TokenSequence]] {
    stride(from: 0, to: sequences.count, by: size).map { Array(sequences[$0..<min($0 + size, sequences.count)]) }
}

// ANCHOR: weight
/// What one micro-batch's mean loss is multiplied by before its `backward()`, in a step of
/// `steps` micro-batches holding `totalTokens` predicted tokens in all, `tokenCount` of them in
/// this micro-batch. The weighted losses add up to the step's loss.
public func microBatchWeight(tokenCount: Int, totalTokens: Int, steps: Int,
                             normalization: LossNormalization) -> Float {
    switch normalization {
    case .divideBySteps:
        return 1 / Float(steps)                           // every micro-batch alike: the mean of means
    case .divideByTokens:
        // BEGIN SOLUTION ex04_1
        return Float(tokenCount) / Float(totalTokens)     // its share of the tokens: the per-token mean
        // END SOLUTION
    }
}
// ANCHOR_END: weight

/// Runs forward and backward over the micro-batches of one effective batch. The gradients add up
/// in each parameter's `.grad`; the caller steps the optimizer afterwards (or, in a test, reads them).
public func accumulateGradients(_ model: NextTokenModel, microBatches: [[TokenSequence]],
                                normalization: LossNormalization) -> AccumulatedStep {
    let batches = microBatches.map(PaddedBatch.init)
    let steps = batches.count
    var tokenLossTotal = 0.0, objective = 0.0
    // ANCHOR: accumulate
    let totalTokens = batches.reduce(0) { $0 + $1.tokenCount }   // num_items_in_batch of the whole step
    // BEGIN SOLUTION ex04_2
    for micro in batches {
        let loss = model.loss(micro)                      // mean over this micro-batch's tokens
        let weight = microBatchWeight(tokenCount: micro.tokenCount, totalTokens: totalTokens,
                                      steps: steps, normalization: normalization)
        (loss * weight).backward()                        // adds into .grad; nothing is updated yet
        tokenLossTotal += Double(loss.item()) * Double(micro.tokenCount)     // for the log
        objective += Double(loss.item()) * Double(weight)
    }
    // END SOLUTION
    // ANCHOR_END: accumulate
    return AccumulatedStep(loss: tokenLossTotal / Double(totalTokens), objective: objective,
                           tokenCount: totalTokens, microBatchCount: steps)
}

/// Every parameter's gradient laid end to end (zeros where a parameter has none).
public func flatGradients(_ model: Module) -> [Float] {
    model.parameters().flatMap { p in p.grad?.scalars ?? [Float](repeating: 0, count: p.count) }
}

/// The gradient of one batch taken whole, as a reference: loss = mean over all its tokens.
public func fullBatchGradient(_ model: NextTokenModel, _ sequences: [TokenSequence]) -> (loss: Double, gradient: [Float]) {
    model.zeroGrad()
    let loss = model.loss(PaddedBatch(sequences))
    loss.backward()
    let gradient = flatGradients(model)
    model.zeroGrad()
    return (Double(loss.item()), gradient)
}

/// The accumulated gradient of `sequences` in micro-batches of `microBatchSize`, set against the
/// gradient of the same sequences taken as one batch.
public struct GradientComparison {
    public let microBatchSize: Int
    public let accumulationSteps: Int
    public let normalization: LossNormalization
    /// Per-token mean loss of the full batch.
    public let fullBatchLoss: Double
    /// The loss the accumulated gradient belongs to (see `AccumulatedStep.objective`).
    public let accumulatedLoss: Double
    /// max_i |g_accumulated[i] - g_full[i]| over every parameter element.
    public let maxAbsDifference: Double
    /// max_i |g_full[i]|, to judge the difference against.
    public let largestGradient: Double
    /// Tokens in each micro-batch.
    public let tokensPerMicroBatch: [Int]
}

public func compareWithFullBatch(_ model: NextTokenModel, _ sequences: [TokenSequence], microBatchSize: Int,
                                 normalization: LossNormalization) -> GradientComparison {
    let full = fullBatchGradient(model, sequences)
    let micro = microBatches(sequences, size: microBatchSize)
    model.zeroGrad()
    let step = accumulateGradients(model, microBatches: micro, normalization: normalization)
    let accumulated = flatGradients(model)
    model.zeroGrad()
    let difference = zip(accumulated, full.gradient).map { Double(abs($0 - $1)) }.max() ?? 0
    return GradientComparison(
        microBatchSize: microBatchSize, accumulationSteps: micro.count, normalization: normalization,
        fullBatchLoss: full.loss, accumulatedLoss: step.objective, maxAbsDifference: difference,
        largestGradient: full.gradient.map { Double(abs($0)) }.max() ?? 0,
        tokensPerMicroBatch: micro.map { $0.reduce(0) { $0 + $1.targetCount } })
}

/// How much bigger the gradient gets when the micro-batch losses are summed without any scaling
/// (forgetting the 1/k): the ratio of gradient norms, which comes out at k.
public func unscaledGradientRatio(_ model: NextTokenModel, _ sequences: [TokenSequence], microBatchSize: Int) -> Double {
    let full = fullBatchGradient(model, sequences)
    model.zeroGrad()
    for micro in microBatches(sequences, size: microBatchSize) { model.loss(PaddedBatch(micro)).backward() }
    let summed = flatGradients(model)
    model.zeroGrad()
    func norm(_ v: [Float]) -> Double { v.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot() }
    return norm(summed) / norm(full.gradient)
}
