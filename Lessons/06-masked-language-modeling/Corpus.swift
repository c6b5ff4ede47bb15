import MiniTorch

/// The lesson's text: the synthetic corpus split into training and validation sentences, the
/// word tokenizer built from the training sentences, and both splits as token ids
/// (`<s> ... </s>`, at most `maxSeqLength` ids, not padded: the collator pads each batch).
public struct MLMCorpus: Sendable {
    public let trainText: [String]
    public let validationText: [String]
    public let tokenizer: WordTokenizer
    public let train: [[Int]]
    public let validation: [[Int]]

    /// The corpus for `seed`: `count` sentences, `validationFraction` of them held out.
    public init(seed: Int, count: Int = 4000, validationFraction: Double = 0.1, factShare: Double = 0.5, maxSeqLength: Int = 32) {
        let (trainText, validationText) = SyntheticCorpus(seed: seed, factShare: factShare).split(count: count, validationFraction: validationFraction)
        self.init(trainText: trainText, validationText: validationText,
                  tokenizer: WordTokenizer(corpus: trainText), maxSeqLength: maxSeqLength)
    }

    /// The same corpus encoded with a given tokenizer (a pretrained model's vocabulary).
    public init(trainText: [String], validationText: [String], tokenizer: WordTokenizer, maxSeqLength: Int = 32) {
        self.trainText = trainText
        self.validationText = validationText
        self.tokenizer = tokenizer
        train = trainText.map { tokenizer.encode($0, maxLength: maxSeqLength) }
        validation = validationText.map { tokenizer.encode($0, maxLength: maxSeqLength) }
    }
}

/// Token-id sequences as a map-style data set, so a `DataLoader` can shuffle and batch them.
public struct TokenizedText: Dataset {
    public let sequences: [[Int]]
    public init(_ sequences: [[Int]]) { self.sequences = sequences }
    public var count: Int { sequences.count }
    public subscript(index: Int) -> [Int] { sequences[index] }
}
