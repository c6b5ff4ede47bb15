/// A word-level tokenizer: one id per lower-cased word or punctuation mark seen in a corpus.
///
/// Real RoBERTa uses byte-level BPE, which splits rare words into pieces; a word vocabulary keeps
/// the tiny corpora of these lessons readable (`paris` is one token) and changes nothing about
/// how masked language modelling works. The special tokens and their ids follow Hugging Face's
/// roberta-base: `<s>` 0 (bos/cls), `<pad>` 1, `</s>` 2 (eos/sep), `<unk>` 3; `<mask>` comes
/// next here at 4 (roberta-base puts it last, at 50264).
public struct WordTokenizer: Sendable {
    public static let specialTokens = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    public static let bosID = 0, padID = 1, eosID = 2, unkID = 3, maskID = 4

    /// Every token, in id order: the special tokens first, then the words.
    public let vocabulary: [String]
    private let ids: [String: Int]

    /// Builds the vocabulary from `corpus`: every token seen at least `minFrequency` times, most
    /// frequent first, ties in alphabetical order (so the same corpus always gives the same ids),
    /// cut to `maxVocabSize` entries in all (special tokens included) when given.
    public init(corpus: [String], minFrequency: Int = 1, maxVocabSize: Int? = nil) {
        if minFrequency < 1 { fail("WordTokenizer: minFrequency must be at least 1 (got \(minFrequency))") }
        var counts: [String: Int] = [:]
        for text in corpus {
            for token in WordTokenizer.tokenize(text) where !WordTokenizer.specialTokens.contains(token) {
                counts[token, default: 0] += 1
            }
        }
        var words = counts.filter { $0.value >= minFrequency }
            .sorted { ($0.value, $1.key) > ($1.value, $0.key) }   // frequency down, then a-z
            .map(\.key)
        if let maxVocabSize {
            if maxVocabSize < WordTokenizer.specialTokens.count {
                fail("WordTokenizer: maxVocabSize must leave room for the \(WordTokenizer.specialTokens.count) special tokens (got \(maxVocabSize))")
            }
            words = Array(words.prefix(maxVocabSize - WordTokenizer.specialTokens.count))
        }
        self.init(vocabulary: WordTokenizer.specialTokens + words)
    }

    /// Restores a tokenizer from its `vocabulary` (the special tokens first, in order).
    public init(vocabulary: [String]) {
        if Array(vocabulary.prefix(WordTokenizer.specialTokens.count)) != WordTokenizer.specialTokens {
            fail("WordTokenizer: a vocabulary must start with \(WordTokenizer.specialTokens.joined(separator: " "))")
        }
        var ids: [String: Int] = [:]
        for (id, token) in vocabulary.enumerated() {
            if ids[token] != nil { fail("WordTokenizer: token \"\(token)\" appears twice in the vocabulary") }
            ids[token] = id
        }
        self.vocabulary = vocabulary
        self.ids = ids
    }

    public var vocabSize: Int { vocabulary.count }

    /// Splits text into tokens: lower-case, split on white space, every punctuation mark or
    /// symbol its own token ("Paris." -> "paris", "."), special tokens such as `<mask>` kept whole.
    public static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        for chunk in text.split(whereSeparator: \.isWhitespace) {
            if specialTokens.contains(String(chunk)) { tokens.append(String(chunk)); continue }
            var word = ""
            for character in chunk.lowercased() {
                if character.isPunctuation || character.isSymbol {
                    if !word.isEmpty { tokens.append(word); word = "" }
                    tokens.append(String(character))
                } else {
                    word.append(character)
                }
            }
            if !word.isEmpty { tokens.append(word) }
        }
        return tokens
    }

    /// Token ids of `text`, as Hugging Face's `tokenizer(text)["input_ids"]`: wrapped in
    /// `<s> ... </s>` when `addSpecialTokens`; cut to `maxLength` ids (the `</s>` kept); with
    /// `padding`, filled up to `maxLength` with `<pad>` (`padding="max_length"`).
    /// Unknown words become `<unk>`.
    public func encode(_ text: String, addSpecialTokens: Bool = true, maxLength: Int? = nil, padding: Bool = false) -> [Int] {
        var body = WordTokenizer.tokenize(text).map(tokenID)
        let extra = addSpecialTokens ? 2 : 0
        if let maxLength {
            if maxLength < extra + 1 { fail("WordTokenizer.encode: maxLength must be at least \(extra + 1) (got \(maxLength))") }
            body = Array(body.prefix(maxLength - extra))
        } else if padding {
            fail("WordTokenizer.encode: padding needs a maxLength to pad to")
        }
        var ids = addSpecialTokens ? [WordTokenizer.bosID] + body + [WordTokenizer.eosID] : body
        if padding, let maxLength { ids += [Int](repeating: WordTokenizer.padID, count: maxLength - ids.count) }
        return ids
    }

    /// The tokens of `ids` joined by spaces (`skipSpecialTokens` drops `<s>`, `<pad>`, ...).
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        ids.filter { !(skipSpecialTokens && isSpecial($0)) }.map(token).joined(separator: " ")
    }

    /// The id of `token`, or `<unk>`'s id when it is not in the vocabulary.
    public func tokenID(_ token: String) -> Int { ids[token] ?? WordTokenizer.unkID }

    /// Whether `token` has an id of its own.
    public func contains(_ token: String) -> Bool { ids[token] != nil }

    /// The token with id `id`.
    public func token(_ id: Int) -> String {
        if id < 0 || id >= vocabSize { fail("WordTokenizer: id \(id) is outside the vocabulary (0..<\(vocabSize))") }
        return vocabulary[id]
    }

    /// Whether `id` is one of `<s> <pad> </s> <unk> <mask>` (masking never picks these).
    public func isSpecial(_ id: Int) -> Bool { id >= 0 && id < WordTokenizer.specialTokens.count }
}
