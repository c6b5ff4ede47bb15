import Foundation
import Testing
import MiniTorch

/// ex06_3: scaled dot-product attention's probabilities with a padding mask
/// (Sources/MiniTorch/NN/AttentionSoftmax.swift, `attentionSoftmax`): for every batch b, head and
/// query row i, P[i, j] = softmax_j(scale * S[i, j] + mask[b, j]), where the mask is 0 for a real
/// key and a large negative number for padding (Hugging Face's `extended_attention_mask`), so a
/// padding key gets probability exactly 0. The reference below is that formula, written out
/// naively in Double with the mask as -1e9.
@Suite("ex06_3: attention probabilities with a padding mask")
struct Ex06_3 {
    /// softmax(scale * s + (mask - 1) * 1e9) over the last axis, in Double.
    static func reference(_ s: [Float], shape: [Int], keyMask: [Int]?, scale: Double) -> [Float] {
        let (b, h, t) = (shape[0], shape[1], shape[3])
        var out = [Float](repeating: 0, count: s.count)
        for batch in 0..<b {
            for row in 0..<(h * t) {
                let offset = (batch * h * t + row) * t
                let z = (0..<t).map { j -> Double in
                    let masked = keyMask.map { $0[batch * t + j] == 0 } ?? false
                    return scale * Double(s[offset + j]) + (masked ? -1e9 : 0)
                }
                let m = z.max()!
                let e = z.map { exp($0 - m) }
                let total = e.reduce(0, +)
                for j in 0..<t { out[offset + j] = Float(e[j] / total) }
            }
        }
        return out
    }

    @Test func matchesSoftmaxOfScaledScoresPlusMask() {
        let shape = [2, 2, 5, 5]
        let scores = Tensor.randn(shape, generator: Generator(seed: 1)) * 3
        let mask = [1, 1, 1, 0, 0,  1, 1, 1, 1, 1]
        let p = attentionSoftmax(scores, keyMask: mask, scale: 0.5)
        let expected = Self.reference(scores.scalars, shape: shape, keyMask: mask, scale: 0.5)
        #expect(p.shape == shape)
        #expect(exerciseClose(p.scalars, expected, 1e-6), "largest difference \(zip(p.scalars, expected).map { abs($0 - $1) }.max()!)")
    }

    @Test func paddingKeysGetExactlyZero() {
        let scores = Tensor.randn([1, 3, 4, 4], generator: Generator(seed: 2))
        let p = attentionSoftmax(scores, keyMask: [1, 0, 1, 0], scale: 1).scalars
        for row in 0..<12 {
            #expect(p[row * 4 + 1] == 0 && p[row * 4 + 3] == 0, "row \(row): padding keys have \(p[row * 4 + 1]), \(p[row * 4 + 3])")
            let sum = p[(row * 4)..<(row * 4 + 4)].reduce(0, +)
            #expect(abs(sum - 1) < 1e-6, "row \(row) sums to \(sum)")
        }
    }

    @Test func scaleAndNoMask() {
        let shape = [1, 1, 3, 3]
        let scores = Tensor([1, 2, 3, 0, 0, 0, -4, 8, 1], shape: shape)
        let expected = Self.reference(scores.scalars, shape: shape, keyMask: nil, scale: 0.25)
        #expect(exerciseClose(attentionSoftmax(scores, keyMask: nil, scale: 0.25).scalars, expected), "scale 1/4, no mask")
        // softmax([0.25, 0.5, 0.75]) = [0.25428, 0.32650, 0.41923] (NumPy)
        #expect(exerciseClose(Array(attentionSoftmax(scores, keyMask: nil, scale: 0.25).scalars[0..<3]), [0.25427521, 0.32649584, 0.41922895], 1e-6))
    }

    /// Scores in the thousands, as an untrained model can produce: subtract the row's maximum.
    @Test func largeScoresStayFinite() {
        let scores = Tensor([1000, 999, 0, -1000], shape: [1, 1, 2, 2])
        let p = attentionSoftmax(scores, keyMask: nil, scale: 1).scalars
        #expect(p.allSatisfy { $0.isFinite }, "probabilities \(p)")
        #expect(exerciseClose(p, [0.7310586, 0.26894143, 1, 0], 1e-6), "probabilities \(p)")
    }

    /// A sequence that is all padding has no real key: the same mask on every score changes
    /// nothing, so its rows are the plain softmax over all keys (never a division by 0).
    @Test func allPaddingSequence() {
        let shape = [2, 1, 4, 4]
        let scores = Tensor.randn(shape, generator: Generator(seed: 3))
        let mask = [1, 1, 0, 0,  0, 0, 0, 0]
        let p = attentionSoftmax(scores, keyMask: mask, scale: 1).scalars
        #expect(p.allSatisfy { $0.isFinite }, "probabilities must stay finite")
        let expected = Self.reference(scores.scalars, shape: shape, keyMask: mask, scale: 1)
        #expect(exerciseClose(Array(p[16...]), Array(expected[16...])), "all-padding batch: \(Array(p[16..<20])), expected \(Array(expected[16..<20]))")
    }

    /// What the mask is for: padding appended to a sentence leaves its real tokens' outputs alone.
    @Test func paddingDoesNotChangeRealTokens() {
        let config = RobertaConfig.tiny(vocabSize: 10)
        let attention = RobertaSelfAttention(config: config, generator: Generator(seed: 4)).eval()
        let g = Generator(seed: 5)
        let real = Tensor.randn([1, 3, 64], generator: g)
        let junk = Tensor.randn([1, 2, 64], generator: g) * 5
        let padded = Tensor(real.scalars + junk.scalars, shape: [1, 5, 64])
        let alone = attention(real, attentionMask: [1, 1, 1]).scalars
        let withPadding = attention(padded, attentionMask: [1, 1, 1, 0, 0]).scalars
        #expect(exerciseClose(alone, Array(withPadding[0..<(3 * 64)]), 1e-5),
                "largest change \(zip(alone, withPadding).map { abs($0 - $1) }.max()!)")
    }
}
