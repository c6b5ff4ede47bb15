import Foundation
import MiniTorch

/// One tokenizer measured on the held-out play.
public struct TokenizerRow: Sendable {
    public var name: String
    public var vocabSize: Int
    public var tokens: Int
    public var tokensPerByte: Double
    /// Tokens of the held-out play the tokenizer has no id for.
    public var unknown: Int
    public var unknownRate: Double
    public var longestToken: String
}

/// Characters, words and BPE, each learned on the training works and run on one held-out play.
///
/// Characters: every byte seen in training gets an id. Words: lesson 06's word tokenizer, one id
/// per lower-cased word or punctuation mark seen in training; anything else is `<unk>`. Bytes and
/// BPE: byte-level, so nothing is ever unknown.
public func compareTokenizers(training: [ShakespeareCorpus.Work], heldOut: ShakespeareCorpus.Work, bpe: ByteLevelBPETokenizer) -> [TokenizerRow] {
    let bytes = heldOut.text.count
    var rows: [TokenizerRow] = []

    var seen = Set<UInt8>()
    for work in training { seen.formUnion(work.text) }
    let unseenBytes = heldOut.text.filter { !seen.contains($0) }.count
    rows.append(TokenizerRow(name: "characters", vocabSize: seen.count, tokens: bytes, tokensPerByte: 1,
                             unknown: unseenBytes, unknownRate: Double(unseenBytes) / Double(bytes), longestToken: "1 character"))

    let words = WordTokenizer(corpus: training.map { String(decoding: $0.text, as: UTF8.self) })
    let heldOutWords = WordTokenizer.tokenize(String(decoding: heldOut.text, as: UTF8.self))
    let unknownWords = heldOutWords.filter { !words.contains($0) }.count
    let longestWord = words.vocabulary.dropFirst(WordTokenizer.specialTokens.count).max { ($0.count, $1) < ($1.count, $0) } ?? ""
    rows.append(TokenizerRow(name: "words (lesson 06)", vocabSize: words.vocabSize, tokens: heldOutWords.count,
                             tokensPerByte: Double(heldOutWords.count) / Double(bytes), unknown: unknownWords,
                             unknownRate: Double(unknownWords) / Double(heldOutWords.count), longestToken: longestWord))

    for tokenizer in [try! ByteLevelBPETokenizer(learned: .bytesOnly), bpe] {
        let ids = tokenizer.encode(bytes: heldOut.text, allowSpecial: false)
        let longest = (tokenizer.specialTokens.count..<tokenizer.vocabSize).max { tokenizer.tokenBytes[$0].count < tokenizer.tokenBytes[$1].count }!
        rows.append(TokenizerRow(name: tokenizer.merges.isEmpty ? "bytes" : "byte-level BPE", vocabSize: tokenizer.vocabSize, tokens: ids.count,
                                 tokensPerByte: Double(ids.count) / Double(bytes), unknown: 0, unknownRate: 0,
                                 longestToken: String(decoding: tokenizer.tokenBytes[longest], as: UTF8.self)))
    }
    return rows
}
