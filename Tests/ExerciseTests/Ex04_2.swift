import Testing
import MiniTorch
import GradientAccumulation

/// ex04_2: the accumulation loop (Lessons/04-gradient-accumulation/Accumulation.swift, the loop
/// in `accumulateGradients`): forward and backward each micro-batch with its weighted loss,
/// without clearing or stepping in between, so the gradients add up in `.grad`. These tests
/// use `.divideBySteps`, so they do not depend on ex04_1.
@Suite("ex04_2: gradient accumulation that matches the full batch")
struct Ex04_2 {
    /// 32 sequences of 10 tokens (9 targets each) in micro-batches of 8: every micro-batch holds
    /// the same number of tokens, so dividing by the 4 steps is exact.
    @Test func equalLengthsMatchTheFullBatch() {
        let sequences = SequenceCorpus.make(count: 32, equalLength: 10, generator: Generator(seed: 5))
        let model = NextTokenModel(generator: Generator(seed: 8))
        let full = fullBatchGradient(model, sequences)
        let micro = stride(from: 0, to: 32, by: 8).map { Array(sequences[$0..<($0 + 8)]) }
        model.zeroGrad()
        let step = accumulateGradients(model, microBatches: micro, normalization: .divideBySteps)
        let accumulated = flatGradients(model)
        let difference = zip(accumulated, full.gradient).map { abs($0 - $1) }.max() ?? 1
        #expect(difference < 1e-5, "largest gradient difference from the full batch: \(difference)")
        #expect(abs(step.loss - full.loss) < 1e-5, "per-token loss \(step.loss), full batch \(full.loss)")
        #expect(step.tokenCount == 32 * 9 && step.microBatchCount == 4, "\(step.tokenCount) tokens in \(step.microBatchCount) micro-batches")
    }

    /// Unequal lengths, divided by steps: the gradient is that of the mean of the micro-batch
    /// means, which the test builds as one graph and differentiates once.
    @Test func dividedByStepsIsTheMeanOfMeans() {
        let sequences = SequenceCorpus.make(count: 12, generator: Generator(seed: 21))
        let model = NextTokenModel(generator: Generator(seed: 4))
        let micro = stride(from: 0, to: 12, by: 3).map { Array(sequences[$0..<($0 + 3)]) }
        model.zeroGrad()
        let losses = micro.map { model.loss(PaddedBatch($0)) }
        let meanOfMeans = losses.dropFirst().reduce(losses[0]) { $0 + $1 } * 0.25
        meanOfMeans.backward()
        let reference = flatGradients(model)
        model.zeroGrad()
        let step = accumulateGradients(model, microBatches: micro, normalization: .divideBySteps)
        let accumulated = flatGradients(model)
        let difference = zip(accumulated, reference).map { abs($0 - $1) }.max() ?? 1
        #expect(difference < 1e-5, "largest gradient difference from the mean of means: \(difference)")
        #expect(abs(step.objective - Double(meanOfMeans.item())) < 1e-5, "objective \(step.objective), mean of means \(meanOfMeans.item())")
        let tokens = micro.map { PaddedBatch($0).tokenCount }
        let perToken = zip(micro, tokens).reduce(0.0) { acc, pair in
            acc + Double(model.loss(PaddedBatch(pair.0)).item()) * Double(pair.1)
        } / Double(tokens.reduce(0, +))
        #expect(abs(step.loss - perToken) < 1e-5, "logged loss \(step.loss) should be the per-token mean \(perToken)")
    }

    /// The loop only accumulates: it neither clears what is already in `.grad` nor updates weights.
    @Test func addsToExistingGradientsAndLeavesWeightsAlone() {
        let sequences = SequenceCorpus.make(count: 8, equalLength: 6, generator: Generator(seed: 2))
        let model = NextTokenModel(generator: Generator(seed: 6))
        let micro = [Array(sequences[0..<4]), Array(sequences[4..<8])]
        let weights = model.parameters().flatMap(\.scalars)
        model.zeroGrad()
        _ = accumulateGradients(model, microBatches: micro, normalization: .divideBySteps)
        let once = flatGradients(model)
        _ = accumulateGradients(model, microBatches: micro, normalization: .divideBySteps)
        let twice = flatGradients(model)
        #expect(exerciseClose(twice, once.map { 2 * $0 }, 1e-5), "a second call should add the same gradient again")
        #expect(model.parameters().flatMap(\.scalars) == weights, "accumulating must not change the weights")
    }
}
