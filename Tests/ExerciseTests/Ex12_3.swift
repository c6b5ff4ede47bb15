import Testing
@testable import MiniTorch
import TokenizationLesson

/// ex12_3: encoding one word by merge rank, step by step (Lessons/12-tokenization/MergeLoop.swift,
/// `encodeStepByStep`): GPT-2's `bpe()` takes, at every step, the adjacent pair with the lowest
/// rank (the earliest learned), not the leftmost pair nor the most frequent one.
@Suite("ex12_3: encoding a word by merge rank")
struct Ex12_3 {
    /// Bytes, then the merges (b, c) and (a, b), in that rank order.
    static let handMade: ByteLevelBPETokenizer = {
        let r = { (s: String) in ByteLevel.alphabetIndex[Int(s.utf8.first!)] }
        var tokens = ByteLevel.alphabet.map { [$0] }
        tokens += [Array("bc".utf8), Array("ab".utf8), Array("abc".utf8)]
        let merges = [BPEMerges.Merge(left: r("b"), right: r("c"), result: 256),
                      BPEMerges.Merge(left: r("a"), right: r("b"), result: 257),
                      BPEMerges.Merge(left: 257, right: r("c"), result: 258)]
        return try! ByteLevelBPETokenizer(learned: BPEMerges(tokens: tokens, merges: merges, counts: [1, 1, 1]), specialTokens: [])
    }()

    static let trained: ByteLevelBPETokenizer = try! ByteLevelBPETokenizer.train(
        [Array("low low low lower lowest newest newest widest wider wide new knew known".utf8)], vocabSize: 290)

    func tokens(_ steps: [[Int]], _ tokenizer: ByteLevelBPETokenizer) -> [[String]] {
        steps.map { $0.map { tokenizer.idToToken($0)! } }
    }

    @Test func lowestRankWinsNotLeftmost() {
        let steps = encodeStepByStep(Array("abc".utf8), tokenizer: Self.handMade)
        // (b, c) has rank 0 and goes first, although (a, b) is further left; then no merge is left.
        #expect(tokens(steps, Self.handMade) == [["a", "b", "c"], ["a", "bc"]])
    }

    @Test func everyOccurrenceAtEachStep() {
        let steps = encodeStepByStep(Array("abab".utf8), tokenizer: Self.handMade)
        #expect(tokens(steps, Self.handMade) == [["a", "b", "a", "b"], ["ab", "ab"]])
        let chained = encodeStepByStep(Array("abcab".utf8), tokenizer: Self.handMade)
        #expect(tokens(chained, Self.handMade) == [["a", "b", "c", "a", "b"], ["a", "bc", "a", "b"], ["a", "bc", "ab"]])
    }

    @Test func theLastStepIsTheTokenizersEncoding() {
        for word in ["lowest", " lowest", " newer", " known", " widest", "x", " wider", " low"] {
            let steps = encodeStepByStep(Array(word.utf8), tokenizer: Self.trained)
            #expect(steps.first == Array(word.utf8).map { Self.trained.tokenToID(ByteLevel.encode([$0]))! }, "\(word): the first step is the bytes")
            #expect(steps.last == Self.trained.encode(word), "\(word): \(tokens(steps, Self.trained))")
            #expect(zip(steps, steps.dropFirst()).allSatisfy { $0.count > $1.count }, "\(word): every step joins at least one pair")
        }
    }
}
