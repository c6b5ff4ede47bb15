import Foundation
import Testing
import MiniTorch

/// ex13_2: top-k and top-p filtering (Sources/MiniTorch/Generation/LogitsWarpers.swift), with
/// Hugging Face's rules: top-k removes every score strictly below the k-th largest (ties with it
/// stay); top-p sorts ascending, takes the running sum of the softmax and removes the tokens
/// whose running sum is <= 1 - p, never the minTokensToKeep most probable.
@Suite("ex13_2: top-k and top-p filtering")
struct Ex13_2 {
    static let inf = -Float.infinity

    @Test func topK() {
        #expect(TopKLogitsWarper(topK: 2)([0.5, 2, -1, 1]) == [Self.inf, 2, Self.inf, 1])
        #expect(TopKLogitsWarper(topK: 1)([3, 1, 3]) == [3, Self.inf, 3], "a tie with the k-th score stays")
        #expect(TopKLogitsWarper(topK: 10)([3, 1]) == [3, 1])
    }

    @Test func topP() {
        let logits = [0.05, 0.15, 0.3, 0.5].map { Float(log($0)) }   // ascending running sums 0.05, 0.2, 0.5, 1.0
        #expect(TopPLogitsWarper(topP: 0.8)(logits).map { $0 == Self.inf } == [true, true, false, false])
        #expect(TopPLogitsWarper(topP: 0.5)(logits).map { $0 == Self.inf } == [true, true, true, false])
        #expect(TopPLogitsWarper(topP: 0.96)(logits).map { $0 == Self.inf } == [false, false, false, false])
        #expect(TopPLogitsWarper(topP: 0.1, minTokensToKeep: 3)(logits).map { $0 == Self.inf } == [true, false, false, false])
        let kept = TopPLogitsWarper(topP: 0.8)(logits)
        #expect(kept[2] == logits[2] && kept[3] == logits[3], "kept scores must be unchanged")
    }
}
