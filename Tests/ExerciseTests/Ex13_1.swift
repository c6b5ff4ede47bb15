import Testing
import MiniTorch

/// ex13_1: the causal mask (Sources/MiniTorch/NN/GPT2.swift, `causalMask`): a [T, T] tensor with
/// 1 where key j comes after query i (j > i), 0 elsewhere; GPT-2's eager attention fills those
/// scores with -inf, so no position sees the future.
@Suite("ex13_1: the causal mask")
struct Ex13_1 {
    @Test func onesStrictlyAboveTheDiagonal() {
        #expect(causalMask(3).scalars == [0, 1, 1, 0, 0, 1, 0, 0, 0], "causalMask(3) = \(causalMask(3).scalars)")
        #expect(causalMask(1).scalars == [0])
        let m = causalMask(6)
        #expect(m.shape == [6, 6])
        for i in 0..<6 { for j in 0..<6 { #expect(m[i, j] == (j > i ? 1 : 0), "entry (\(i), \(j))") } }
    }

    /// The eager attention path with this mask: changing token 4 leaves positions 0-3 untouched.
    @Test func noPositionSeesTheFuture() {
        let config = GPT2Config(vocabSize: 11, nPositions: 8, nEmbd: 8, nLayer: 1, nHead: 2, residPdrop: 0, embdPdrop: 0, attnPdrop: 0,
                                bosTokenId: 0, eosTokenId: 0, attnImplementation: .eager)
        let model = GPT2LMHeadModel(config: config, generator: Generator(seed: 1))
        var ids = [1, 2, 3, 4, 5, 6, 7, 8]
        let before = model(inputIds: ids, shape: [1, 8]).scalars
        ids[4] = 9
        let after = model(inputIds: ids, shape: [1, 8]).scalars
        #expect(before[..<44] == after[..<44], "a logit before position 4 moved when token 4 changed")
        #expect(before[44...] != after[44...])
    }
}
