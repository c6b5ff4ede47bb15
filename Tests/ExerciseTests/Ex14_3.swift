import Testing
import MiniTorch
import InstructionTuning

/// ex14_3 (bug museum): the loss counting padding (Lessons/14-instruction-tuning/FineTune.swift,
/// `collate`). Padding a short example to the batch's width must add targets of -100, not the
/// pad token: otherwise the model is trained to write <|endoftext|> after every short answer, and
/// the mean loss is diluted by easy padding positions. Targets are the labels shifted by one.
@Suite("ex14_3: the loss does not count padding")
struct Ex14_3 {
    static let long: (inputIds: [Int], labels: [Int]) = ([1, 2, 3, 4, 5, 6], [-100, -100, -100, 4, 5, 6])
    static let short: (inputIds: [Int], labels: [Int]) = ([1, 2, 7, 8], [-100, -100, 7, 8])

    @Test func targetsAreShiftedLabelsThenMinus100() {
        let b = collate([Self.long, Self.short], padID: 0)
        #expect(b.shape == [2, 5])
        #expect(b.inputs == [1, 2, 3, 4, 5, 1, 2, 7, 0, 0])
        #expect(b.targets == [-100, -100, 4, 5, 6, -100, 7, 8, -100, -100])
    }

    /// The batch's loss is the mean over the response tokens of both examples, as if each were
    /// scored alone: padding changes nothing.
    @Test func paddedLossEqualsTheUnpaddedOne() {
        let config = GPT2Config(vocabSize: 12, nPositions: 8, nEmbd: 8, nLayer: 1, nHead: 2, residPdrop: 0, embdPdrop: 0, attnPdrop: 0,
                                bosTokenId: 0, eosTokenId: 0)
        let model = GPT2LMHeadModel(config: config, generator: Generator(seed: 4))
        let b = collate([Self.long, Self.short], padID: 0)
        let batched = noGrad { crossEntropy(model(inputIds: b.inputs, shape: b.shape).reshape([-1, 12]), b.targets).item() }
        var sum: Float = 0, count = 0
        for e in [Self.long, Self.short] {
            let one = collate([e], padID: 0)
            let losses = noGrad { crossEntropy(model(inputIds: one.inputs, shape: one.shape).reshape([-1, 12]), one.targets, reduction: .none).scalars }
            for (l, t) in zip(losses, one.targets) where t != -100 { sum += l; count += 1 }
        }
        #expect(count == 5 && abs(batched - sum / Float(count)) < 1e-5)
    }
}
