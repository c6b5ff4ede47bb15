import Foundation
import MiniTorch

/// One merge as the plain loop learned it.
public struct LearnedMerge: Sendable, Equatable {
    public var left: String, right: String, count: Int
}

/// Adjacent byte pairs of `text` as BPE's first step counts them: inside each pre-tokenisation
/// piece only, so " the" and " cat" give (t, h) and (" ", c) but never (e, " ").
public func pairCounts(of text: [UInt8]) -> [String: Int] {
    var counts: [String: Int] = [:]
    // BEGIN SOLUTION ex12_1
    for piece in PreTokenizer.split(text) where piece.count > 1 {
        for k in piece.lowerBound..<(piece.upperBound - 1) {
            counts[ByteLevel.encode(text[k...(k + 1)]), default: 0] += 1
        }
    }
    // END SOLUTION
    return counts
}

/// The plain merge loop of MiniTorch (`BPETrainer.trainPlain`), run for the first `count` merges
/// on the training words, each with the count that made it win.
public func learnFirstMerges(_ corpus: WordCounts, count: Int) -> [LearnedMerge] {
    let merges = BPETrainer.trainPlain(corpus, vocabSize: 256 + count)
    return zip(merges.merges, merges.counts).map { merge, count in
        LearnedMerge(left: ByteLevel.encode(merges.tokens[merge.left]), right: ByteLevel.encode(merges.tokens[merge.right]), count: count)
    }
}

/// Encodes one pre-tokenisation piece by merge rank and returns every intermediate state: the
/// bytes' tokens first, then the word after each merge, the lowest-ranked pair present each time.
public func encodeStepByStep(_ piece: [UInt8], tokenizer: ByteLevelBPETokenizer) -> [[Int]] {
    var word = piece.map { tokenizer.tokenToID(ByteLevel.encode([$0]))! }
    var steps = [word]
    // BEGIN SOLUTION ex12_3
    var rankOf: [BPETrainer.Pair: Int] = [:]
    for (rank, merge) in tokenizer.merges.enumerated() where rankOf[BPETrainer.Pair(merge.left, merge.right)] == nil {
        rankOf[BPETrainer.Pair(merge.left, merge.right)] = rank
    }
    while word.count > 1 {
        let pairs = (0..<(word.count - 1)).map { BPETrainer.Pair(word[$0], word[$0 + 1]) }
        guard let best = pairs.compactMap({ pair in rankOf[pair].map { (pair, $0) } }).min(by: { $0.1 < $1.1 })?.0 else { break }
        let joined = tokenizer.tokenToID(tokenizer.idToToken(best.left)! + tokenizer.idToToken(best.right)!)!
        var merged: [Int] = []
        var i = 0
        while i < word.count {   // every occurrence, left to right
            if i + 1 < word.count, word[i] == best.left, word[i + 1] == best.right { merged.append(joined); i += 2 } else { merged.append(word[i]); i += 1 }
        }
        word = merged
        steps.append(word)
    }
    // END SOLUTION
    return steps
}
