import Foundation
import MiniTorch
import Workbook

/// Bytes per token on text of another kind than the training text.
public struct DomainRow: Sendable {
    public var name: String
    public var bytes: Int
    public var tokens: Int
    public var bytesPerToken: Double { Double(bytes) / Double(tokens) }
}

/// Modern English and Swift code: a tokenizer trained on Shakespeare has few merges for them.
public let modernEnglish = """
    The committee will publish its report on Thursday, after the software update has been \
    installed on every laptop in the office. Please email your questions to the help desk \
    before the meeting starts; the video call link is in the calendar invitation.
    """
public let swiftCode = """
    func softmax(_ x: [Float]) -> [Float] {
        let m = x.max() ?? 0
        let e = x.map { exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }
    """

public func domainRows(_ tokenizer: ByteLevelBPETokenizer, heldOut: [UInt8]) -> [DomainRow] {
    [("held-out Shakespeare", heldOut), ("modern English", Array(modernEnglish.utf8)), ("Swift code", Array(swiftCode.utf8))].map { name, text in
        DomainRow(name: name, bytes: text.count, tokens: tokenizer.encode(bytes: text, allowSpecial: false).count)
    }
}

/// A string's tokens as the vocabulary writes them, joined by `|`.
public func shownTokens(_ text: String, _ tokenizer: ByteLevelBPETokenizer, allowSpecial: Bool = true) -> String {
    tokenizer.encode(text, allowSpecial: allowSpecial).map { tokenizer.idToToken($0)! }.joined(separator: " | ")
}

/// A model whose embedding has fewer rows than the tokenizer has ids reads past the end of its
/// table. Check before training, with a message that says which side to change.
// ANCHOR: vocab-check
public func checkVocabulary(_ tokenizer: ByteLevelBPETokenizer, embeddingRows: Int) throws {
    if tokenizer.vocabSize > embeddingRows {
        throw LessonError("the tokenizer has \(tokenizer.vocabSize) tokens (ids up to \(tokenizer.vocabSize - 1)) "
            + "but the model's embedding has \(embeddingRows) rows: set vocab_size to \(tokenizer.vocabSize) in the model's config")
    }
}
// ANCHOR_END: vocab-check
