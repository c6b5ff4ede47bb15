import Foundation
import Testing
@testable import MiniTorch

/// The word tokenizer's `tokenizer.json`, read by Hugging Face's `tokenizers` library (from the
/// ignored `.venv` that `make deps` creates): the same ids for the same text, the same text back.
@Suite("tokenizer.json in the tokenizers library")
struct TokenizerInteropTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = root.appendingPathComponent(".venv/bin/python")

    @Test func wordLevelTokenizerEncodesAsTheTokenizersLibrary() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.python.path),
                 "\(Self.python.path) is missing: run make deps, which creates it with tokenizers and safetensors")
        let tokenizer = WordTokenizer(corpus: ["The capital of France is Paris.", "Berlin is in Germany, isn't it?",
                                               "rome , madrid and lisbon are capitals ."])
        let texts = ["the capital of france is <mask> .", "Paris is in FRANCE!", "berlin, rome; madrid...",
                     "an unseen word: zanzibar", "  spaces\tand\nnew lines  ", "isn't it?", "", "<mask>"]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tokenizer-interop-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try tokenizer.saveFiles(to: dir, modelMaxLength: 32)
        let cases: [[String: Any]] = texts.map { text in
            let ids = tokenizer.encode(text)
            return ["text": text, "ids": ids, "decoded": tokenizer.decode(ids)]
        }
        let listURL = dir.appendingPathComponent("cases.json")
        try JSONSerialization.data(withJSONObject: cases).write(to: listURL)

        let process = Process()
        process.executableURL = Self.python
        process.arguments = [Self.root.appendingPathComponent("scripts/check_tokenizer_json.py").path,
                             dir.appendingPathComponent("tokenizer.json").path, listURL.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("tokenizers: \(texts.count) texts encode to MiniTorch's ids"), "\(text)")
    }
}
