import Foundation
import MiniTorch
import Testing
import Workbook
@testable import TokenizationLesson

/// Lesson 12's claims, from the same function the executable calls, at its default settings
/// (a few seconds in release; needs the corpus `make data` fetches).
@Suite("Lesson 12: tokenization")
struct Lesson12Tests {
    /// A missing corpus fails these tests with its one line (run `make data`), not a crash.
    static let loaded = Result { () throws -> (ShakespeareCorpus, LessonResult) in
        let corpus = try ShakespeareCorpus.load()
        return (corpus, try TokenizationLesson.run(Settings(), corpus: corpus))
    }
    static var corpus: ShakespeareCorpus { get throws { try loaded.get().0 } }
    static var result: LessonResult { get throws { try loaded.get().1 } }

    @Test func corpusAndSplit() throws {
        let c = try Self.corpus
        #expect(c.works.count == 42 && c.works.reduce(0) { $0 + $1.text.count } == 5_057_198)
        #expect(c.works.allSatisfy { $0.text.allSatisfy { $0 < 0x80 } })   // plain ASCII
        #expect(c.works(.train).count == 38 && c.works(.train).reduce(0) { $0 + $1.text.count } == 4_600_325)
        #expect(c.works(.validation).map(\.name) == ["julius_caesar", "twelfth_night"])
        #expect(c.works(.test).map(\.name) == ["macbeth", "much_ado_about_nothing"])
    }

    @Test func charactersWordsBytesAndBPE() throws {
        let r = try Self.result, corpus = try Self.corpus
        let rows = r.comparison
        #expect(r.heldOutBytes == 114_876)
        let chars = rows[0], words = rows[1], bytes = rows[2], bpe = rows[3]
        #expect(chars.vocabSize == 84 && chars.unknown == 0)
        #expect(words.vocabSize == 23_226 && words.tokens == 28_686 && words.unknown == 1_043)
        #expect(fmtPercent(words.unknownRate, digits: 2) == "3.64%")
        #expect(bytes.vocabSize == 259 && bytes.tokens == 114_876 && bytes.unknown == 0)
        #expect(bpe.vocabSize == 4096 && bpe.tokens == 40_055 && bpe.unknown == 0)
        #expect(fmt(bpe.tokensPerByte, digits: 3) == "0.349")
        #expect(bpe.longestToken == "\n" + String(repeating: " ", count: 28))
        // Malvolio, the chapter's example of an unknown word, is in no training work.
        #expect(!corpus.works(.train).contains { String(decoding: $0.text, as: UTF8.self).contains("Malvolio") })
    }

    @Test func firstMergesAndAWordStepByStep() throws {
        let r = try Self.result
        let first = r.firstMerges
        #expect(first.count == 10)
        #expect(first[0] == LearnedMerge(left: "Ġ", right: "t", count: 94_232))
        #expect(first[1] == LearnedMerge(left: "h", right: "e", count: 73_737))
        // The plain loop's first merges are the fast trainer's.
        let fast = r.tokenizer.merges.prefix(10).map { r.tokenizer.idToToken($0.left)! + " " + r.tokenizer.idToToken($0.right)! }
        #expect(fast == first.map { $0.left + " " + $0.right })
        let steps = r.steps
        #expect(steps.first?.count == 14 && steps.count == 12)
        #expect(steps.last == ["Ġunderstand", "ing"])
        #expect(steps.last.map { $0.compactMap { r.tokenizer.tokenToID($0) } } == r.tokenizer.encode(" understanding"))
    }

    @Test func vocabularySweep() throws {
        let sweep = try Self.result.sweep
        #expect(sweep.map(\.vocabSize) == [259, 512, 1024, 2048, 4096, 8192])
        #expect(sweep.map { fmt($0.bytesPerToken, digits: 2) } == ["1.00", "1.88", "2.31", "2.64", "2.92", "3.16"])
        #expect(sweep[5].embeddingParameters == 8192 * 384)
        #expect(Int((Double(sweep[5].embeddingParameters) / Double(sweep[0].embeddingParameters)).rounded()) == 32)
        #expect(sweep[4].embeddingParameters == 1_572_864)
        #expect(Int(sweep[4].tokensPerContext.rounded()) == 350)
        #expect(fmtPercent(sweep[4].attentionScores / sweep[0].attentionScores) == "11.7%")
        // A prefix of the 8,192 merges is what training at 1,024 learns.
        let counts = WordCounts(documents: try Self.corpus.works(.train).map(\.text))
        let direct = BPETrainer.train(counts, vocabSize: 1024 - 3)
        let longer = BPETrainer.train(counts, vocabSize: 2048 - 3)
        #expect(longer.prefix(vocabSize: 1024 - 3) == direct)
    }

    @Test func bitsPerByteComparesTokenizers() throws {
        let losses = try Self.result.bitsPerByte
        #expect(losses.map { fmt($0.natsPerToken, digits: 3) } == ["3.353", "6.247"])
        #expect(losses.map { fmt($0.bitsPerByte, digits: 3) } == ["4.837", "3.084"])
        #expect(abs(bitsPerByte(natsPerToken: log(2) * 3, bytesPerToken: 1.5) - 2) < 1e-12)
    }

    @Test func whatGoesWrong() throws {
        let r = try Self.result
        #expect(r.domains.map { fmt($0.bytesPerToken, digits: 2) } == ["2.87", "3.28", "1.55"])
        let t = r.tokenizer
        #expect(t.encode("the") == [678] && t.encode(" the") == [270])
        #expect(t.encode("1599").count == 4)
        #expect(t.encode("<|endoftext|>") == [0])
        #expect(t.encode("<|endoftext|>", allowSpecial: false).count == 9)
        #expect(vocabularyMismatch(r) == "error: the tokenizer has 4096 tokens (ids up to 4095) but the model's embedding has 4000 rows: set vocab_size to 4096 in the model's config")
        #expect(throws: Never.self) { try checkVocabulary(t, embeddingRows: 4096) }
    }

    @Test func aWorkThatTrainsIsRefused() throws {
        var settings = Settings()
        settings.heldOutWork = "hamlet"
        let corpus = try Self.corpus
        #expect(throws: LessonError.self) { try TokenizationLesson.run(settings, corpus: corpus) }
    }
}
