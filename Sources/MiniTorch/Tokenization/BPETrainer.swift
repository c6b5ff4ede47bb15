/// BPE training, the plain way: count every adjacent pair, join the most frequent one everywhere,
/// repeat until the vocabulary is full.
///
/// Tie-break (the one the `tokenizers` BpeTrainer uses, `trainer.rs`, `impl Ord for Merge`): among
/// pairs with the same count, the pair with the smaller left token id wins, then the smaller right
/// id. Ids are the order tokens entered the vocabulary (bytes by code point of their GPT-2
/// character, then merges in order), so the result never depends on hash order.
///
/// Each step re-counts every pair of every distinct word: merges x symbols work, which is
/// quadratic in practice. `BPETrainer.train` (BPETrainerFast.swift) learns the same merges with
/// counts kept up to date instead; the tests check that both agree.
public enum BPETrainer {
    /// A pair of adjacent tokens, ordered as the tie-break wants (left id, then right id).
    public struct Pair: Hashable, Comparable, Sendable {
        public var left: Int, right: Int
        public init(_ left: Int, _ right: Int) { self.left = left; self.right = right }
        public static func < (a: Pair, b: Pair) -> Bool { (a.left, a.right) < (b.left, b.right) }
    }

    /// Counts each adjacent pair, every word weighted by how often it occurs.
    public static func countPairs(_ words: [[Int]], counts: [Int]) -> [Pair: Int] {
        var pairCounts: [Pair: Int] = [:]
        for (word, count) in zip(words, counts) where word.count > 1 {
            for k in 0..<(word.count - 1) { pairCounts[Pair(word[k], word[k + 1]), default: 0] += count }
        }
        return pairCounts
    }

    /// The pair to merge next: the highest count, ties to the smallest pair; nil when none occurs.
    public static func bestPair(_ pairCounts: [Pair: Int]) -> (pair: Pair, count: Int)? {
        var best: (pair: Pair, count: Int)?
        for (pair, count) in pairCounts where count > 0 {
            if let b = best, count < b.count || (count == b.count && b.pair < pair) { continue }
            best = (pair, count)
        }
        return best
    }

    /// Replaces each occurrence of `pair` in `word` by `token`, left to right, never overlapping:
    /// merging (a, a) in a a a gives aa a.
    public static func applyMerge(_ pair: Pair, as token: Int, to word: [Int]) -> [Int] {
        // BEGIN SOLUTION ex12_2
        var out: [Int] = []
        out.reserveCapacity(word.count)
        var i = 0
        while i < word.count {
            if i + 1 < word.count, word[i] == pair.left, word[i + 1] == pair.right {
                out.append(token)
                i += 2
            } else {
                out.append(word[i])
                i += 1
            }
        }
        return out
        // END SOLUTION
    }

    /// Learns merges until there are `vocabSize` tokens (the 256 bytes included) or no pair occurs
    /// at least `minFrequency` times (and at least once). `onMerge` sees each merge as it is made.
    public static func trainPlain(_ corpus: WordCounts, vocabSize: Int, minFrequency: Int = 0,
                                  onMerge: ((BPEMerges.Merge, Int) -> Void)? = nil) -> BPEMerges {
        var result = BPEMerges.bytesOnly
        var index = Dictionary(uniqueKeysWithValues: result.tokens.enumerated().map { ($1, $0) })
        var words = corpus.words
        // ANCHOR: merge-loop
        while result.tokens.count < vocabSize {
            let pairCounts = countPairs(words, counts: corpus.counts)
            guard let (pair, count) = bestPair(pairCounts), count >= max(1, minFrequency) else { break }
            let token = result.append(left: pair.left, right: pair.right, count: count, index: &index)
            for w in words.indices { words[w] = applyMerge(pair, as: token, to: words[w]) }
            onMerge?(result.merges.last!, count)
        }
        // ANCHOR_END: merge-loop
        return result
    }
}
