import Testing
import MiniTorch

/// ex12_2: one merge applied to one word (Sources/MiniTorch/Tokenization/BPETrainer.swift,
/// `BPETrainer.applyMerge`), as GPT-2's `bpe()` and the `tokenizers` Word::merge do it: every
/// occurrence of the pair, left to right, never overlapping.
@Suite("ex12_2: applying one merge to a word")
struct Ex12_2 {
    let a = 1, b = 2, c = 3, new = 9

    @Test func everyOccurrenceIsJoined() {
        #expect(BPETrainer.applyMerge(BPETrainer.Pair(a, b), as: new, to: [a, b, c, a, b]) == [new, c, new])
        #expect(BPETrainer.applyMerge(BPETrainer.Pair(a, b), as: new, to: [a, b, a, b]) == [new, new])
    }

    @Test func occurrencesDoNotOverlap() {
        #expect(BPETrainer.applyMerge(BPETrainer.Pair(a, a), as: new, to: [a, a, a]) == [new, a])
        #expect(BPETrainer.applyMerge(BPETrainer.Pair(a, a), as: new, to: [a, a, a, a]) == [new, new])
    }

    @Test func orderMattersAndAbsentPairsChangeNothing() {
        #expect(BPETrainer.applyMerge(BPETrainer.Pair(a, b), as: new, to: [b, a]) == [b, a])
        #expect(BPETrainer.applyMerge(BPETrainer.Pair(a, b), as: new, to: [a, c, b]) == [a, c, b])
        #expect(BPETrainer.applyMerge(BPETrainer.Pair(a, b), as: new, to: [a]) == [a])
        #expect(BPETrainer.applyMerge(BPETrainer.Pair(a, b), as: new, to: []) == [])
    }
}
