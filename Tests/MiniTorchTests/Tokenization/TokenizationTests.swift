import Foundation
import Testing
@testable import MiniTorch

/// One tokenizer trained on the training split, shared by the tests that need a real one.
enum TrainedTokenizer {
    static let corpus: ShakespeareCorpus = {
        do { return try ShakespeareCorpus.load() } catch { fatalError("\(error)") }
    }()
    /// Vocabulary 4,096 on the 38 training works, as the lesson and the benchmark train it.
    static let vocab4096: ByteLevelBPETokenizer = {
        do { return try ByteLevelBPETokenizer.train(corpus.works(.train).map(\.text), vocabSize: 4096) } catch { fatalError("\(error)") }
    }()
}

@Suite("Byte-level BPE tokenizer")
struct TokenizationTests {
    @Test func byteToUnicodeIsGPT2sTable() {
        // encoder.py: printable Latin-1 keeps its code point, the other 68 bytes take 256, 257, ...
        #expect(ByteLevel.byteToUnicode[0x20] == "\u{0120}")   // space -> Ġ
        #expect(ByteLevel.byteToUnicode[0x0A] == "\u{010A}")   // newline -> Ċ
        #expect(ByteLevel.byteToUnicode[0x00] == "\u{0100}")
        #expect(ByteLevel.byteToUnicode[0x21] == "!")
        #expect(ByteLevel.byteToUnicode[0xAD] == "\u{0143}")   // soft hyphen, the last one moved
        #expect(ByteLevel.byteToUnicode[0xFF] == "\u{00FF}")
        #expect(Set(ByteLevel.byteToUnicode).count == 256)
        #expect(ByteLevel.alphabet.prefix(3) == [0x21, 0x22, 0x23])
        #expect(ByteLevel.alphabet.last == 0xAD)
        #expect(ByteLevel.encode(Array(" the".utf8)) == "Ġthe")
        #expect(ByteLevel.decode("Ġthe") == Array(" the".utf8))
        #expect(ByteLevel.decode("a b") == nil)   // a plain space is not in the table
    }

    @Test func preTokenizerFollowsGPT2sPattern() {
        #expect(PreTokenizer.pieces("Hello, how are  you?") == ["Hello", ",", " how", " are", " ", " you", "?"])
        #expect(PreTokenizer.pieces("I'm sure they'll say it's 2024!") == ["I", "'m", " sure", " they", "'ll", " say", " it", "'s", " 2024", "!"])
        #expect(PreTokenizer.pieces("a   b") == ["a", "  ", " b"])
        #expect(PreTokenizer.pieces("x\n\ny  ") == ["x", "\n", "\n", "y", "  "])
        #expect(PreTokenizer.pieces("'S ?'s") == ["'", "S", " ?'", "s"])   // contractions are lower case only
        #expect(PreTokenizer.pieces("naïve café 42€") == ["naïve", " café", " 42", "€"])
        #expect(PreTokenizer.pieces("").isEmpty)
    }

    @Test func invalidUTF8IsSplitByteByByte() {
        let bytes: [UInt8] = [0x61, 0xFF, 0xC3, 0x20, 0x62, 0xE2, 0x82]   // a, bad, cut-off é, " b", cut-off €
        let pieces = PreTokenizer.split(bytes)
        #expect(pieces.first?.lowerBound == 0 && pieces.last?.upperBound == bytes.count)
        #expect(zip(pieces, pieces.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(pieces.map { Array(bytes[$0]) } == [[0x61], [0xFF, 0xC3], [0x20, 0x62], [0xE2, 0x82]])
    }

    /// The worked example from the chapter: counts, the tie-break and the merge.
    @Test func plainTrainingOnATinyCorpus() {
        let corpus = WordCounts(documents: [Array("low low low lower lowest newest newest".utf8)])
        let rank = { (s: String) in ByteLevel.alphabetIndex[Int(s.utf8.first!)] }
        let pairs = BPETrainer.countPairs(corpus.words, counts: corpus.counts)
        #expect(pairs[BPETrainer.Pair(rank("l"), rank("o"))] == 5 && pairs[BPETrainer.Pair(rank("o"), rank("w"))] == 5)
        #expect(pairs[BPETrainer.Pair(rank(" "), rank("l"))] == 4)
        let merges = BPETrainer.trainPlain(corpus, vocabSize: 259)
        // "lo" and "ow" both occur 5 times: the tie goes to the smaller left id, "l" before "o".
        #expect(merges.tokens[256...].map { String(decoding: $0, as: UTF8.self) } == ["lo", "low", " low"])
        #expect(merges.counts == [5, 5, 4])
    }

    @Test func fastTrainingLearnsThePlainMerges() throws {
        let play = TrainedTokenizer.corpus.work("twelfth_night")!.text
        let counts = WordCounts(documents: [play])
        let plain = BPETrainer.trainPlain(counts, vocabSize: 600)
        let fast = BPETrainer.train(counts, vocabSize: 600)
        #expect(plain.merges.count == 344)
        #expect(fast == plain)
        // Many ties, repeated letters and a merge path that spells an existing token again.
        let tricky = WordCounts(documents: [Array("aaaa aaa aa abab abab ba ab aabb bbaa".utf8), Array("aaaaaaa bbbbbbb".utf8)])
        #expect(BPETrainer.train(tricky, vocabSize: 300) == BPETrainer.trainPlain(tricky, vocabSize: 300))
        // minFrequency stops early in both.
        #expect(BPETrainer.train(counts, vocabSize: 600, minFrequency: 50) == BPETrainer.trainPlain(counts, vocabSize: 600, minFrequency: 50))
    }

    @Test func roundTripOnRandomBytesAndInvalidUTF8() throws {
        let tokenizer = TrainedTokenizer.vocab4096
        let g = Generator(seed: 12)
        for length in [0, 1, 2, 3, 7, 64, 1000, 4096] {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: g.next()) }
                #expect(try tokenizer.decodeBytes(tokenizer.encode(bytes: bytes)) == bytes)
                #expect(try tokenizer.decodeBytes(tokenizer.encode(bytes: bytes, allowSpecial: false)) == bytes)
            }
        }
        // Bytes that are never valid UTF-8, cut-off sequences, surrogates, overlong forms.
        let broken: [[UInt8]] = [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], Array("ok".utf8) + [0x80, 0x80] + Array(" then".utf8)]
        for bytes in broken { #expect(try tokenizer.decodeBytes(tokenizer.encode(bytes: bytes)) == bytes) }
        // Random text made of words, spaces and specials, as strings.
        let words = ["the", " The", "  ", "\n", "'s", "42", "naïve", "€", "<|endoftext|>", "<|im_start|>", "<|", "endoftext", "\t "]
        for _ in 0..<200 {
            let text = (0..<g.int(below: 30)).map { _ in words[g.int(below: words.count)] }.joined()
            #expect(try tokenizer.decode(tokenizer.encode(text)) == text)
        }
    }

    @Test func roundTripOnTheWholeCorpus() throws {
        let tokenizer = TrainedTokenizer.vocab4096
        for work in TrainedTokenizer.corpus.works {
            let ids = tokenizer.encode(bytes: work.text)
            #expect(try tokenizer.decodeBytes(ids) == work.text, "\(work.name)")
        }
    }

    @Test func specialTokensAreNeverSplit() throws {
        let tokenizer = TrainedTokenizer.vocab4096
        let eot = try #require(tokenizer.specialTokenID("<|endoftext|>"))
        #expect(eot == 0 && tokenizer.specialTokenID("<|im_start|>") == 1 && tokenizer.specialTokenID("<|im_end|>") == 2)
        let ids = tokenizer.encode("To be<|endoftext|><|im_start|>user\nHi<|im_end|>")
        #expect(ids.filter { $0 < 3 } == [0, 1, 2])
        #expect(ids.contains(eot))
        let typed = tokenizer.encode("<|endoftext|>", allowSpecial: false)
        #expect(typed.count > 1 && !typed.contains(eot))
        #expect(try tokenizer.decode(typed) == "<|endoftext|>")
        #expect(try tokenizer.decode(ids, skipSpecialTokens: true) == "To beuser\nHi")
        // Training never merges across or into a special token: none of them is in a merge.
        #expect(tokenizer.merges.allSatisfy { $0.left >= 3 && $0.right >= 3 })
    }

    @Test func encodingAppliesMergesByRank() throws {
        let tokenizer = TrainedTokenizer.vocab4096
        #expect(tokenizer.vocabSize == 4096)
        let the = try #require(tokenizer.tokenToID("Ġthe"))
        #expect(tokenizer.encode(" the") == [the])
        #expect(tokenizer.idToToken(the) == "Ġthe")
        // The cached path and the plain one agree on every piece of a play.
        let text = TrainedTokenizer.corpus.work("macbeth")!.text
        let cached = tokenizer.encode(bytes: text)
        let plain = PreTokenizer.split(text).flatMap { tokenizer.bpe(text[$0]).map(Int.init) }
        #expect(cached == plain)
    }

    @Test func tokenizerJSONAndGPT2FilesRoundTrip() throws {
        let tokenizer = TrainedTokenizer.vocab4096
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tokenizer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try tokenizer.save(to: folder.appendingPathComponent("tokenizer.json"))
        try tokenizer.saveVocabAndMerges(to: folder)
        let fromJSON = try ByteLevelBPETokenizer.load(from: folder.appendingPathComponent("tokenizer.json"))
        let fromGPT2 = try ByteLevelBPETokenizer.load(vocabAndMergesIn: folder)
        let text = "What light through yonder window breaks? <|endoftext|> 1,234 naïve\n\n  end"
        for loaded in [fromJSON, fromGPT2] {
            #expect(loaded.vocabSize == tokenizer.vocabSize)
            #expect(loaded.tokenBytes == tokenizer.tokenBytes)
            #expect(loaded.merges.map { [$0.left, $0.right] } == tokenizer.merges.map { [$0.left, $0.right] })
            #expect(loaded.encode(text) == tokenizer.encode(text))
            #expect(loaded.specialTokens.map(\.content) == ByteLevelBPETokenizer.defaultSpecialTokens)
        }
        let merges = try String(contentsOf: folder.appendingPathComponent("merges.txt"), encoding: .utf8)
        #expect(merges.hasPrefix("#version: 0.2\nĠ t\n") || merges.hasPrefix("#version: 0.2\n"))
    }

    @Test func damagedFilesGiveOneLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tokenizer-bad-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("tokenizer.json")
        func message(_ text: String) -> String {
            try? text.write(to: url, atomically: true, encoding: .utf8)
            do { _ = try ByteLevelBPETokenizer.load(from: url); return "loaded" } catch { return "\(error)" }
        }
        #expect(message("{\"model\": ").hasPrefix("tokenizer.json: not valid JSON"))
        #expect(message("{\"model\": {\"type\": \"WordPiece\"}}") == "tokenizer.json: model type is \"WordPiece\", not BPE")
        #expect(message("{\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}, \"pre_tokenizer\": {\"type\": \"Metaspace\"}}")
            == "tokenizer.json: pre_tokenizer is \"Metaspace\", not GPT-2's ByteLevel")
        #expect(message("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}, \"pre_tokenizer\": {\"type\": \"ByteLevel\"}}")
            .contains("has no token: a byte-level vocabulary needs all 256"))
        #expect(!message("").contains("\n"))
        do { _ = try ByteLevelBPETokenizer.load(from: folder.appendingPathComponent("missing.json")); Issue.record("loaded a missing file") } catch {
            #expect("\(error)".hasPrefix("missing.json: no such file"))
        }
        #expect(throws: TokenizerError.self) { try ByteLevelBPETokenizer.train([[UInt8]](), vocabSize: 100) }
        #expect(throws: TokenizerError.self) { try TrainedTokenizer.vocab4096.decode([4096]) }
    }

    @Test func corpusSplitsByWholeWorks() throws {
        let corpus = TrainedTokenizer.corpus
        #expect(corpus.works.count == 42)
        #expect(corpus.works(.validation).map(\.name) == ["julius_caesar", "twelfth_night"])
        #expect(corpus.works(.test).map(\.name) == ["macbeth", "much_ado_about_nothing"])
        #expect(corpus.works(.train).count == 38)
        #expect(corpus.works(.train).reduce(0) { $0 + $1.text.count } == 4_600_325)
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-corpus-\(UUID().uuidString)")
        #expect(throws: CorpusError.self) { try ShakespeareCorpus.load(from: missing) }
        let ids = corpus.tokenIDs(.validation, tokenizer: TrainedTokenizer.vocab4096)
        #expect(ids.filter { $0 == 0 }.count == 2)
        #expect(ids.last == 0)
    }
}
