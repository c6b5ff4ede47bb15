import Foundation
import MiniTorch
import Workbook

/// Everything the lesson runs, with the flags' values.
public struct Settings: SeededSettings, Equatable {
    /// The tokenizer the lesson keeps and saves (GPT-2 used 50,257; a corpus of 4.6 MB wants less).
    public var vocabSize = 4096
    /// The vocabulary sizes of the sweep, special tokens and the 256 bytes included.
    public var sweepSizes = [259, 512, 1024, 2048, 4096, 8192]
    /// The held-out play the tokenizers are compared on (a validation work).
    public var heldOutWork = "twelfth_night"
    /// How many of the first merges the plain loop learns and the chapter shows.
    public var firstMerges = 10
    /// The word encoded step by step, merge by merge.
    public var exampleWord = " understanding"
    /// The width of a model's embedding, to count what a vocabulary costs in parameters.
    public var hiddenSize = 384
    /// Bytes of text per training sequence when comparing sequence lengths across tokenizers.
    public var contextBytes = 1024
    /// `--seed`, which every lesson takes; BPE training and the comparisons use no random numbers.
    public var seed = 42

    public init() {}
}

public struct LessonResult: Sendable {
    public var settings: Settings
    public var tokenizer: ByteLevelBPETokenizer
    public var comparison: [TokenizerRow]
    public var firstMerges: [LearnedMerge]
    public var steps: [[String]]
    public var sweep: [SweepPoint]
    public var bitsPerByte: [UnigramLoss]
    public var domains: [DomainRow]
    public var heldOutBytes: Int
}

/// Runs every part of the lesson on `corpus` (`make data`'s Shakespeare when nil).
public func run(_ settings: Settings, corpus: ShakespeareCorpus? = nil, progress: LessonProgress = .silent) throws -> LessonResult {
    let corpus = try corpus ?? { do { return try ShakespeareCorpus.load() } catch { throw LessonError("\(error)") } }()
    func done(_ part: Int) { progress.update("parts", step: part, of: lessonParts) }
    guard let play = corpus.work(settings.heldOutWork), ShakespeareCorpus.split(of: play.name) != .train else {
        throw LessonError("--held-out-work \(settings.heldOutWork) is not a held-out work; choose one of "
            + (ShakespeareCorpus.validationWorks + ShakespeareCorpus.testWorks).joined(separator: ", "))
    }
    let training = corpus.works(.train).map(\.text)
    let counts = WordCounts(documents: training)
    let specials = ByteLevelBPETokenizer.defaultSpecialTokens.count
    // ANCHOR: train
    let largest = max(settings.vocabSize, settings.sweepSizes.max() ?? settings.vocabSize)
    let learned = BPETrainer.train(counts, vocabSize: largest - specials)
    let tokenizer = try ByteLevelBPETokenizer(learned: learned.prefix(vocabSize: settings.vocabSize - specials))
    // ANCHOR_END: train
    done(1)
    let comparison = compareTokenizers(training: corpus.works(.train), heldOut: play, bpe: tokenizer)
    done(2)
    let first = learnFirstMerges(counts, count: settings.firstMerges)
    let steps = encodeStepByStep(Array(settings.exampleWord.utf8), tokenizer: tokenizer).map { $0.map { tokenizer.idToToken($0)! } }
    done(3)
    let validation = corpus.works(.validation).map(\.text)
    let sweep = try settings.sweepSizes.map { size in
        try sweepPoint(ByteLevelBPETokenizer(learned: learned.prefix(vocabSize: size - specials)), heldOut: validation,
                       hiddenSize: settings.hiddenSize, contextBytes: settings.contextBytes)
    }
    done(4)
    let bytesOnly = try ByteLevelBPETokenizer(learned: .bytesOnly)
    let losses = [bytesOnly, tokenizer].map { unigramLoss($0, training: training, heldOut: validation) }
    let domains = domainRows(tokenizer, heldOut: play.text)
    done(5)
    return LessonResult(settings: settings, tokenizer: tokenizer, comparison: comparison, firstMerges: first, steps: steps,
                        sweep: sweep, bitsPerByte: losses, domains: domains, heldOutBytes: play.text.count)
}

/// Steps of work `run` reports through `progress`.
public let lessonParts = 5
