/// The training corpus as BPE sees it: each distinct pre-tokenisation piece once, with how often
/// it occurs. Merges never cross a piece boundary, so training needs nothing else.
public struct WordCounts: Sendable {
    /// Each distinct piece as byte-token ranks (positions in `ByteLevel.alphabet`), in order of
    /// first appearance, so the same corpus always gives the same list.
    public var words: [[Int]]
    /// How often each piece occurs.
    public var counts: [Int]

    public init(words: [[Int]], counts: [Int]) {
        precondition(words.count == counts.count)
        self.words = words
        self.counts = counts
    }

    /// Pre-tokenises each document on its own (a piece never spans two documents) and counts.
    public init<Documents: Sequence>(documents: Documents) where Documents.Element == [UInt8] {
        var index: [ArraySlice<UInt8>: Int] = [:]
        var words: [[Int]] = []
        var counts: [Int] = []
        for document in documents {
            document.withUnsafeBufferPointer { buffer in
                PreTokenizer.forEachPiece(buffer) { range in
                    let piece = document[range]
                    if let w = index[piece] {
                        counts[w] += 1
                    } else {
                        index[ArraySlice(Array(piece))] = words.count   // own copy: keys outlive the document
                        words.append(piece.map { ByteLevel.alphabetIndex[Int($0)] })
                        counts.append(1)
                    }
                }
            }
        }
        self.init(words: words, counts: counts)
    }

    /// Pieces in all, counting repeats.
    public var totalCount: Int { counts.reduce(0, +) }
}

/// What BPE training learns: the token list (256 byte tokens, then one per merge that made a new
/// string) and the merges in the order learned.
///
/// Ids here count from the first byte token; a tokenizer puts its special tokens in front.
public struct BPEMerges: Sendable, Equatable {
    /// Each token's bytes, by id: `tokens[0] == [0x21]` ("!"), `tokens[256]` is the first merge's.
    public var tokens: [[UInt8]]
    /// The merges by rank: `merges[0]` joins the first pair learned into token `result`.
    public var merges: [Merge]
    /// How often each merge's pair occurred when it was chosen.
    public var counts: [Int]

    public struct Merge: Sendable, Hashable {
        public var left: Int, right: Int, result: Int
        public init(left: Int, right: Int, result: Int) { self.left = left; self.right = right; self.result = result }
    }

    /// The 256 byte tokens, no merges yet.
    public static var bytesOnly: BPEMerges {
        BPEMerges(tokens: ByteLevel.alphabet.map { [$0] }, merges: [], counts: [])
    }

    /// The merges training at `vocabSize` (the 256 bytes included) would have stopped at: BPE is
    /// greedy, so a smaller vocabulary's merges are the first ones of a larger's.
    public func prefix(vocabSize: Int) -> BPEMerges {
        var kept = 0
        var tokenCount = 256
        while kept < merges.count, tokenCount < vocabSize {
            if merges[kept].result == tokenCount { tokenCount += 1 }
            kept += 1
        }
        return BPEMerges(tokens: Array(tokens.prefix(tokenCount)), merges: Array(merges.prefix(kept)), counts: Array(counts.prefix(kept)))
    }

    /// Records the merge of `left` and `right`, seen `count` times: the joined bytes become a new
    /// token, or reuse the id of an equal token made by an earlier merge (two merge paths can spell
    /// the same string; the `tokenizers` trainer reuses the id the same way).
    mutating func append(left: Int, right: Int, count: Int, index: inout [[UInt8]: Int]) -> Int {
        let joined = tokens[left] + tokens[right]
        let result: Int
        if let existing = index[joined] {
            result = existing
        } else {
            result = tokens.count
            tokens.append(joined)
            index[joined] = result
        }
        merges.append(Merge(left: left, right: right, result: result))
        counts.append(count)
        return result
    }
}
