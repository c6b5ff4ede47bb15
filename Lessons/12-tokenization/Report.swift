import Foundation
import MiniTorch
import Workbook

/// Saves the tokenizer (tokenizer.json, vocab.json, merges.txt) and writes the CSV and the cells into `out`.
public func report(_ result: LessonResult, to out: OutputFolder) throws {
    try result.tokenizer.save(to: URL(fileURLWithPath: out.file("tokenizer.json")))
    try result.tokenizer.saveVocabAndMerges(to: URL(fileURLWithPath: out.path))
    try out.writeCSV("sweep.csv", sweepCSV(result))
    try out.cell("comparison", comparisonTable(result).render())
    try out.cell("first-merges", firstMergesTable(result).render())
    try out.cell("step-by-step", stepsTable(result).render())
    try out.cell("sweep", sweepTable(result).render())
    try out.cell("bits-per-byte", bitsPerByteTable(result).render())
    try out.cell("domains", domainTable(result).render())
    try out.cell("habits", habitsTable(result).render())
    try out.cell("vocab-mismatch", vocabularyMismatch(result))
    if !out.quiet { print("\ntokenizer.json, vocab.json and merges.txt are in \(out.path)/") }
}

// The tables and CSV files of the lesson, built from its results.

/// A token as the chapter shows it: the text it stands for, spaces and newlines made visible.
public func visible(_ token: String) -> String {
    let bytes = ByteLevel.decode(token) ?? Array(token.utf8)
    return "`" + String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: " ", with: "␣").replacingOccurrences(of: "\n", with: "\\n") + "`"
}

public func comparisonTable(_ r: LessonResult) -> Table {
    var table = Table(["tokenizer", "vocabulary", "tokens", "tokens / byte", "unknown", "longest token"])
    for row in r.comparison {
        table.addRow(row.name, fmt(row.vocabSize), fmt(row.tokens), fmt(row.tokensPerByte, digits: 3),
                     "\(fmt(row.unknown)) (\(fmtPercent(row.unknownRate, digits: 2)))", row.longestToken.contains("character") ? row.longestToken : visible(ByteLevel.encode(Array(row.longestToken.utf8))))
    }
    return table
}

public func firstMergesTable(_ r: LessonResult) -> Table {
    var table = Table(["rank", "left", "right", "new token", "count"])
    for (rank, merge) in r.firstMerges.enumerated() {
        table.addRow("\(rank)", visible(merge.left), visible(merge.right), visible(merge.left + merge.right), fmt(merge.count))
    }
    return table
}

public func stepsTable(_ r: LessonResult) -> Table {
    var table = Table(["step", "tokens", "count"])
    for (step, tokens) in r.steps.enumerated() {
        table.addRow(step == 0 ? "bytes" : "\(step)", tokens.map(visible).joined(separator: " "), "\(tokens.count)")
    }
    return table
}

public func sweepCSV(_ r: LessonResult) -> CSVTable {
    var table = CSVTable(header: ["vocab_size", "bytes_per_token", "embedding_parameters", "tokens_per_context", "attention_scores",
                                  "embedding_vs_bytes", "attention_vs_bytes"])
    guard let bytes = r.sweep.first else { return table }
    for p in r.sweep {
        table.addRow(["\(p.vocabSize)", "\(p.bytesPerToken)", "\(p.embeddingParameters)", "\(p.tokensPerContext)", "\(p.attentionScores)",
                      "\(Double(p.embeddingParameters) / Double(bytes.embeddingParameters))", "\(p.attentionScores / bytes.attentionScores)"])
    }
    return table
}

public func sweepTable(_ r: LessonResult) -> Table {
    let base = r.sweep.first?.attentionScores ?? 1
    var table = Table(["vocabulary", "bytes / token", "embedding parameters", "tokens per \(fmt(r.settings.contextBytes)) bytes", "attention scores (vs bytes)"])
    for p in r.sweep {
        table.addRow(fmt(p.vocabSize), fmt(p.bytesPerToken, digits: 2), fmt(p.embeddingParameters), fmt(p.tokensPerContext, digits: 0),
                     fmtPercent(p.attentionScores / base, digits: 1))
    }
    return table
}

public func bitsPerByteTable(_ r: LessonResult) -> Table {
    var table = Table(["tokenizer", "loss (nats / token)", "bytes / token", "bits / byte"])
    for loss in r.bitsPerByte {
        table.addRow(loss.vocabSize <= 259 ? "bytes (\(fmt(loss.vocabSize)))" : "BPE \(fmt(loss.vocabSize))", fmt(loss.natsPerToken, digits: 3),
                     fmt(loss.bytesPerToken, digits: 2), fmt(loss.bitsPerByte, digits: 3))
    }
    return table
}

public func domainTable(_ r: LessonResult) -> Table {
    var table = Table(["text", "bytes", "tokens", "bytes / token"])
    for row in r.domains { table.addRow(row.name, fmt(row.bytes), fmt(row.tokens), fmt(row.bytesPerToken, digits: 2)) }
    return table
}

/// Strings that show a tokenizer's habits: leading spaces, capitals, numbers, special tokens.
public let habitExamples = ["the", " the", "The", " The", " THE", "1599", " 3.14159", " 2026", "<|endoftext|>"]

public func habitsTable(_ r: LessonResult) -> Table {
    var table = Table(["text", "ids", "tokens"])
    for text in habitExamples {
        let ids = r.tokenizer.encode(text)
        table.addRow(visible(ByteLevel.encode(Array(text.utf8))), ids.map(String.init).joined(separator: " "), shownTokens(text, r.tokenizer))
    }
    let typed = r.tokenizer.encode("<|endoftext|>", allowSpecial: false)
    table.addRow(visible("<|endoftext|>") + " as text", typed.map(String.init).joined(separator: " "), shownTokens("<|endoftext|>", r.tokenizer, allowSpecial: false))
    return table
}

/// The error a model with 4,000 embedding rows gives for a 4,096-token tokenizer.
public func vocabularyMismatch(_ r: LessonResult) -> String {
    do { try checkVocabulary(r.tokenizer, embeddingRows: 4000); return "no error" } catch { return "error: \(error)" }
}
