import Testing
import MiniTorch
import TokenizationLesson

/// ex12_1 (bug museum): BPE counts pairs inside GPT-2's pre-tokenisation pieces only
/// (Lessons/12-tokenization/MergeLoop.swift, `pairCounts(of:)`). The exhibit: counting over the
/// whole byte stream also counts (e, space) in "the cat", a pair no merge may ever join.
@Suite("ex12_1: counting pairs inside pre-tokenisation pieces")
struct Ex12_1 {
    @Test func pairsStayInsidePieces() {
        let counts = pairCounts(of: Array("the cat".utf8))
        #expect(counts == ["th": 1, "he": 1, "Ġc": 1, "ca": 1, "at": 1], "\(counts)")
        #expect(counts["eĠ"] == nil, "(e, space) crosses from \"the\" into \" cat\": it must not be counted")
    }

    @Test func repeatedWordsAddUp() {
        let counts = pairCounts(of: Array("low low lower".utf8))
        #expect(counts == ["lo": 3, "ow": 3, "Ġl": 2, "we": 1, "er": 1], "\(counts)")
    }

    /// Contractions and punctuation are pieces of their own: "I'm here." has no pair (I, ').
    @Test func contractionsAndPunctuationArePieces() {
        let counts = pairCounts(of: Array("I'm here.\n\nOK".utf8))
        #expect(counts == ["'m": 1, "Ġh": 1, "he": 1, "er": 1, "re": 1, "OK": 1], "\(counts)")
    }

    @Test func everyPieceContributesItsLengthMinusOne() {
        let text = Array("To be, or not to be, that is the question:\nWhether 'tis nobler in the mind".utf8)
        let total = pairCounts(of: text).values.reduce(0, +)
        let expected = PreTokenizer.split(text).reduce(0) { $0 + max(0, $1.count - 1) }
        #expect(total == expected, "\(total) pairs counted, \(expected) inside pieces")
        #expect(pairCounts(of: []).isEmpty && pairCounts(of: Array("a".utf8)).isEmpty)
    }
}
