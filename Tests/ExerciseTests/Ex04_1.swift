import Testing
import MiniTorch
import GradientAccumulation

/// ex04_1 (bug museum): the token-weighted loss of a micro-batch
/// (Lessons/04-gradient-accumulation/Accumulation.swift, `microBatchWeight`, the
/// `.divideByTokens` case). The bug: `loss / gradient_accumulation_steps` averages the
/// micro-batches' mean losses, which weighs a token of a short micro-batch more than a token of
/// a long one. The fix weighs micro-batch j's mean by n_j / N, its share of the step's tokens,
/// so the weighted sum is the per-token mean of the whole effective batch.
@Suite("ex04_1: the token-weighted loss of a micro-batch")
struct Ex04_1 {
    @Test func weightIsTheShareOfTokens() {
        let w = [3, 9].map { microBatchWeight(tokenCount: $0, totalTokens: 12, steps: 2, normalization: .divideByTokens) }
        #expect(exerciseClose(w, [0.25, 0.75]), "weights of micro-batches of 3 and 9 tokens out of 12: \(w), not 1/2 each")
        let one = microBatchWeight(tokenCount: 40, totalTokens: 40, steps: 1, normalization: .divideByTokens)
        #expect(one == 1, "a single micro-batch holding every token: \(one)")
    }

    @Test func weightsAddUpToOne() {
        let counts = [7, 120, 3, 30]
        let w = counts.map { microBatchWeight(tokenCount: $0, totalTokens: 160, steps: 4, normalization: .divideByTokens) }
        #expect(abs(w.reduce(0, +) - 1) < 1e-6, "weights \(w) add up to \(w.reduce(0, +))")
        #expect(exerciseClose(w, [0.04375, 0.75, 0.01875, 0.1875]), "weights \(w)")
    }

    /// Sequences of very different lengths in micro-batches of 4: accumulating with these
    /// weights gives the gradient of the whole batch's per-token mean loss.
    @Test func accumulatedGradientMatchesTheFullBatch() {
        let sequences = SequenceCorpus.make(count: 16, generator: Generator(seed: 11))
        let model = NextTokenModel(generator: Generator(seed: 3))
        let full = fullBatchGradient(model, sequences)
        let micro = stride(from: 0, to: 16, by: 4).map { PaddedBatch(Array(sequences[$0..<($0 + 4)])) }
        let totalTokens = micro.reduce(0) { $0 + $1.tokenCount }
        #expect(Set(micro.map(\.tokenCount)).count > 1, "the test needs micro-batches of unequal token counts")
        model.zeroGrad()
        for batch in micro {
            let weight = microBatchWeight(tokenCount: batch.tokenCount, totalTokens: totalTokens, steps: micro.count,
                                          normalization: .divideByTokens)
            (model.loss(batch) * weight).backward()
        }
        let accumulated = flatGradients(model)
        let difference = zip(accumulated, full.gradient).map { abs($0 - $1) }.max() ?? 1
        #expect(difference < 1e-5, "largest gradient difference from the full batch: \(difference)")
    }
}
