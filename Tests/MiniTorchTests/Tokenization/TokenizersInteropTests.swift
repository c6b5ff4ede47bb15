import Foundation
import Testing
@testable import MiniTorch

/// MiniTorch's tokenizer against Hugging Face's `tokenizers`, in the ignored Python environment
/// `make deps` creates (.venv). The test saves tokenizer.json, MiniTorch's ids and pieces for
/// held-out text and tricky strings, and the training documents; scripts/check_tokenizers_python.py
/// loads the file in `tokenizers`, compares encodings, decodings and pre-tokenisation, and trains
/// `tokenizers`' own BpeTrainer on the same documents to compare vocabularies and merges.
@Suite("Tokenizer interop with Hugging Face tokenizers")
struct TokenizersInteropTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func tokenizersLoadsOurFileAndAgrees() throws {
        let python = Self.root.appendingPathComponent(".venv/bin/python")
        try #require(FileManager.default.isExecutableFile(atPath: python.path),
                     "\(python.path) is missing: run `make deps` (it creates .venv with tokenizers)")
        let tokenizer = TrainedTokenizer.vocab4096
        let corpus = TrainedTokenizer.corpus
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tokenizers-interop-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try tokenizer.save(to: folder.appendingPathComponent("tokenizer.json"))

        var texts = (corpus.works(.validation) + corpus.works(.test)).map { String(decoding: $0.text, as: UTF8.self) }
        texts += [
            "Hello, how are  you?", "I'm sure they'll say it's 2024!", "a   b\n\n\n  c\t\td  ", "'S ?'s don't",
            "naïve café, 42€ — “quoted” ½ Ⅻ 東京 🙂", "x <|endoftext|> y<|im_start|>user\nhi<|im_end|>\n",
            "  leading and trailing  ", "\u{00A0}non-breaking\u{2003}em space\u{3000}", "",
        ]
        let cases: [[String: Any]] = texts.map { text in
            let pieces = PreTokenizer.split(Array(text.utf8)).map { ByteLevel.encode(Array(text.utf8)[$0]) }
            var entry: [String: Any] = ["text": text, "ids": tokenizer.encode(text)]
            if !text.contains("<|") { entry["pieces"] = pieces }
            return entry
        }
        try JSONSerialization.data(withJSONObject: cases).write(to: folder.appendingPathComponent("cases.json"))
        var names: [String] = []
        for work in corpus.works(.train) {
            names.append("\(work.name).txt")
            try Data(work.text).write(to: folder.appendingPathComponent("\(work.name).txt"))
        }
        let training: [String: Any] = ["vocab_size": 4096, "special_tokens": ByteLevelBPETokenizer.defaultSpecialTokens, "documents": names]
        try JSONSerialization.data(withJSONObject: training).write(to: folder.appendingPathComponent("training.json"))

        let process = Process()
        process.executableURL = python
        process.arguments = [Self.root.appendingPathComponent("scripts/check_tokenizers_python.py").path, folder.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        let lines = text.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("ok encode") }.count == texts.count)
        #expect(lines.filter { $0.hasPrefix("ok decode") }.count == texts.count)
        #expect(lines.contains("ok trainer vocab: 4096 tokens"))
        #expect(lines.contains { $0.hasPrefix("ok trainer merges:") })
    }
}
