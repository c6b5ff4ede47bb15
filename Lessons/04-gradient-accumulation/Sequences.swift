import MiniTorch

/// One training example of a language model: a run of token ids. A sequence of n tokens gives
/// n - 1 next-token targets, so the number of targets, not of sequences, is what a loss averages.
public struct TokenSequence: Sendable, Equatable {
    public let ids: [Int]
    /// Whether the sequence was drawn from the short or the long kind (they follow different rules).
    public let isShort: Bool

    public init(ids: [Int], isShort: Bool) {
        self.ids = ids
        self.isShort = isShort
    }

    /// Positions with a next token to predict.
    public var targetCount: Int { ids.count - 1 }
}

/// A tiny corpus whose sequences have different lengths and, like real text, read differently by
/// length: short sequences count up by 1 (5 6 7 8), long ones by 3 (5 8 11 14), with one token in
/// ten replaced at random. A model that sees only the current token must split its bet between +1
/// and +3 in proportion to how many tokens of each kind its loss counts, which is exactly what the
/// loss-normalisation trap changes.
public enum SequenceCorpus {
    /// Token 0 pads sequences to a common length; 1...31 are real tokens.
    public static let padID = 0
    public static let vocabSize = 32
    /// Lengths of the two kinds, and how often a sequence is short.
    public static let shortLengths = 2...6
    public static let longLengths = 24...40
    public static let shortFraction = 0.75
    public static let noise: Float = 0.1

    /// `count` sequences of mixed lengths (three in four short), or all of `equalLength` tokens.
    public static func make(count: Int, equalLength: Int? = nil, generator: Generator) -> [TokenSequence] {
        (0..<count).map { _ in
            let isShort = Double(generator.uniform()) < shortFraction
            let range = isShort ? shortLengths : longLengths
            let length = equalLength ?? (range.lowerBound + generator.int(below: range.count))
            let step = isShort ? 1 : 3
            var ids = [1 + generator.int(below: vocabSize - 1)]
            while ids.count < length {
                let next = generator.uniform() < noise
                    ? 1 + generator.int(below: vocabSize - 1)
                    : 1 + (ids.last! - 1 + step) % (vocabSize - 1)
                ids.append(next)
            }
            return TokenSequence(ids: ids, isShort: isShort)
        }
    }
}

/// Sequences padded to one length, as a collator hands them to the model.
///
/// The labels are already shifted (label t is token t + 1) and hold -100 wherever there is no
/// next token (the last position and the padding), so `CrossEntropyLoss(ignoreIndex: -100)`
/// skips them, as Hugging Face's causal-LM collators do.
public struct PaddedBatch {
    public let inputIDs: [Int]     // [B * T], row-major
    public let labels: [Int]       // [B * T], -100 where nothing is predicted
    public let batchSize: Int      // B
    public let length: Int         // T, the longest sequence in this batch
    /// Labels that are not -100: Hugging Face's `num_items_in_batch` for one batch.
    public let tokenCount: Int

    public init(_ sequences: [TokenSequence]) {
        let length = sequences.map(\.ids.count).max() ?? 0
        var inputIDs: [Int] = [], labels: [Int] = []
        for sequence in sequences {
            let ids = sequence.ids
            for t in 0..<length {
                inputIDs.append(t < ids.count ? ids[t] : SequenceCorpus.padID)
                labels.append(t + 1 < ids.count ? ids[t + 1] : -100)
            }
        }
        self.inputIDs = inputIDs
        self.labels = labels
        self.batchSize = sequences.count
        self.length = length
        self.tokenCount = sequences.reduce(0) { $0 + $1.targetCount }
    }
}

/// A data set of token sequences, so the ordinary seeded `DataLoader` decides the order.
public struct SequenceDataset: Dataset {
    public let sequences: [TokenSequence]
    public init(_ sequences: [TokenSequence]) { self.sequences = sequences }
    public var count: Int { sequences.count }
    public subscript(index: Int) -> TokenSequence { sequences[index] }
}
