// lesson-12-tokenization: a byte-level BPE tokenizer trained on Shakespeare; characters, words and
// BPE compared on a held-out play; the merge loop; a vocabulary sweep; bits per byte.
import MiniTorch
import TokenizationLesson
import Workbook

enum Main: LessonMain {
    static let folder = "12-tokenization"
    static let abstract = "Byte-level BPE trained on Shakespeare: merges, vocabulary size, bits per byte."
    static let flags: [LessonFlag<Settings>] = [
        LessonFlag("--vocab-size", \.vocabSize, "Vocabulary size of the tokenizer kept (special tokens and the 256 bytes included).", .range(259...16_384)),
        LessonFlag("--held-out-work", \.heldOutWork, "The held-out work to compare tokenizers on (julius_caesar, twelfth_night, macbeth, much_ado_about_nothing)."),
        LessonFlag("--example-word", \.exampleWord, "A word (with its leading space) to encode merge by merge.", onePiece),
        LessonFlag("--hidden-size", \.hiddenSize, "Embedding width used to count a vocabulary's parameters.", .range(1...65_536)),
    ]

    /// `--example-word` is encoded as one pre-tokenisation piece, merge by merge.
    static let onePiece = Valid<String>("one pre-tokenisation piece") { word in
        word.isEmpty ? "must not be empty"
            : PreTokenizer.pieces(word).count == 1 ? nil
            : "must be one pre-tokenisation piece, such as \" understanding\" (got \"\(word)\")"
    }

    static func main(_ settings: Settings, _ lesson: LessonRun) throws {
        try report(run(settings, progress: lesson.progress), to: lesson.out)
    }
}

Main.main()
