// lesson-12-tokenization: a byte-level BPE tokenizer trained on Shakespeare; characters, words and
// BPE compared on a held-out play; the merge loop; a vocabulary sweep; bits per byte.
import ArgumentParser
import Foundation
import MiniTorch
import TokenizationLesson
import Workbook

struct TokenizationCommand: LessonCommand {
    static let lessonFolder = "12-tokenization"
    static let configuration = lessonConfiguration(
        abstract: "Byte-level BPE trained on Shakespeare: merges, vocabulary size, bits per byte.")

    @OptionGroup var options: LessonOptions

    @Option(help: "Vocabulary size of the tokenizer kept (special tokens and the 256 bytes included).")
    var vocabSize = 4096
    @Option(help: "The held-out work to compare tokenizers on (julius_caesar, twelfth_night, macbeth, much_ado_about_nothing).")
    var heldOutWork = "twelfth_night"
    @Option(help: "A word (with its leading space) to encode merge by merge.")
    var exampleWord = " understanding"
    @Option(help: "Embedding width used to count a vocabulary's parameters.")
    var hiddenSize = 384

    func validate() throws {
        try inRange(vocabSize, 259...16_384, "--vocab-size")
        try check(!exampleWord.isEmpty, "--example-word must not be empty")
        try check(PreTokenizer.pieces(exampleWord).count == 1, "--example-word must be one pre-tokenisation piece, such as \" understanding\" (got \"\(exampleWord)\")")
        try inRange(hiddenSize, 1...65_536, "--hidden-size")
    }

    func run() throws {
        let out = try outputFolder()
        var settings = LessonSettings()
        settings.vocabSize = vocabSize
        settings.heldOutWork = heldOutWork
        settings.exampleWord = exampleWord
        settings.hiddenSize = hiddenSize
        let corpus: ShakespeareCorpus
        do { corpus = try ShakespeareCorpus.load() } catch { throw LessonError("\(error)") }

        var bar = ProgressBar(total: lessonParts, label: "parts", quiet: options.quiet)
        let result = try runLesson(settings, corpus: corpus) { bar.update($0) }
        bar.finish()

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
        try out.writeText("summary.txt", "tokenizer.json, vocab.json and merges.txt written to \(out.path)\n")
        if !options.quiet { print("\ntokenizer.json, vocab.json and merges.txt are in \(out.path)/") }
    }
}

TokenizationCommand.main()
