import Foundation
import MiniTorch
import Testing
import Workbook
@testable import InstructionTuning

/// Lesson 14's data, template and labels (no model needed), then its claims on one short run of
/// the lesson on a small base: the first 150 steps of lesson 13's run, fine-tuned briefly.
@Suite("Lesson 14: instruction fine-tuning", .serialized)
struct Lesson14Tests {
    nonisolated(unsafe) static let corpus = Result { try ShakespeareCorpus.load() }
    static let instructions = Result<InstructionSet, any Error> {
        InstructionSet(corpus: try corpus.get(), trainPerTask: 2000, heldOutPerTask: 50, seed: 42)
    }

    @Test func instructionsAreHeldOutHonestly() throws {
        let set = try Self.instructions.get()
        for task in InstructionTask.allCases {
            #expect(set.train.filter { $0.task == task }.count == 2000)
            #expect(set.validation.filter { $0.task == task }.count == 50)
            #expect(set.test.filter { $0.task == task }.count == 50)
        }
        // No held-out line was seen in training, under any task.
        let trainLines = Set(set.train.map { $0.input.split(separator: "\n").last! })
        for i in set.validation + set.test { #expect(!trainLines.contains(i.input.split(separator: "\n").last!), "\(i.input)") }
        // Skills are held out by whole works: the capitals answers of validation come from
        // Julius Caesar and Twelfth Night, which no training instruction quotes.
        let plays = Set(set.train.filter { $0.task == .play }.map(\.output))
        #expect(!plays.contains("Julius Caesar") && !plays.contains("Twelfth Night") && !plays.contains("Macbeth"))
        #expect(plays.count >= 30, "\(plays.count) plays")
        // Same seed, same set.
        let again = InstructionSet(corpus: try Self.corpus.get(), trainPerTask: 2000, heldOutPerTask: 50, seed: 42)
        #expect(again.train == set.train && again.validation == set.validation)
    }

    @Test func tasksAnswerFromTheLine() throws {
        #expect(lastWord(of: "Draw, if you be men.--Gregory, remember") == "remember")
        #expect(lastWord(of: "What, drawn, and talk of peace!") == "peace")
        #expect(playTitle("romeo_and_juliet") == "Romeo and Juliet" && playTitle("henry_iv_part_1") == "Henry IV Part 1")
        let set = try Self.instructions.get()
        for i in set.train.prefix(400) {
            let line = String(i.input.split(separator: "\n").last!)
            switch i.task {
            case .capitals: #expect(i.output == line.uppercased())
            case .lastWord: #expect(line.contains(i.output))
            case .speaker, .play: #expect(!i.output.isEmpty && !i.output.hasSuffix("."))
            }
        }
    }

    @Test func jsonLinesHaveInputAndOutputKeys() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("l14-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let set = try Self.instructions.get()
        try set.write(to: folder)
        let text = try String(contentsOf: folder.appendingPathComponent("instructions.jsonl"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == set.train.count)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: String]
        #expect(first["input"] == set.train[0].input && first["output"] == set.train[0].output && first["task"] == set.train[0].task.rawValue)
    }

    static func tokenizer() throws -> ByteLevelBPETokenizer {
        let works = try corpus.get().works(.train).prefix(3).map(\.text)
        return try ByteLevelBPETokenizer.train(works, vocabSize: 400, specialTokens: [ByteLevelBPETokenizer.endOfText])
    }

    @Test func templateAddsTwoTokensWithoutChangingTheMerges() throws {
        let base = try Self.tokenizer()
        let t = try ChatTemplate(base: base)
        #expect(t.tokenizer.vocabSize == base.vocabSize + 2)
        #expect(t.imStartID == base.vocabSize && t.imEndID == base.vocabSize + 1)
        let text = "Who says this line?\nWhat noise is this?"
        #expect(t.tokenizer.encode(text) == base.encode(text))
        // The prompt is the ChatML text up to the assistant's turn, special tokens whole.
        let p = t.prompt(text)
        #expect(p == t.tokenizer.encode("<|im_start|>user\n\(text)<|im_end|>\n<|im_start|>assistant\n"))
        #expect(p.filter { $0 == t.imStartID }.count == 2 && p.filter { $0 == t.imEndID }.count == 1)
        // A line that contains the marker's text is not turned into the marker.
        #expect(t.prompt("say <|im_end|>").filter { $0 == t.imEndID }.count == 1)
    }

    @Test func labelsAreMinus100OnThePromptOnly() throws {
        let t = try ChatTemplate(base: try Self.tokenizer())
        let i = Instruction(task: .lastWord, input: "What is the last word of this line?\nWhat noise is this?", output: "this")
        let (ids, labels) = t.example(i)
        let p = t.prompt(i.input)
        #expect(ids == p + t.tokenizer.encode("this") + [t.imEndID])
        #expect(labels.prefix(p.count).allSatisfy { $0 == -100 })
        #expect(Array(labels.dropFirst(p.count)) == Array(ids.dropFirst(p.count)))
        #expect(labels.last == t.imEndID)   // the end-of-turn token is learned, so generation stops
        #expect(t.example(i, trainOnPrompt: true).labels == ids)
        // Collated: padded on the right with -100 labels, shifted by one.
        let short = t.example(Instruction(task: .play, input: "Which play?", output: "Hamlet"))
        let b = collate([(ids, labels), short], padID: 0)
        let width = ids.count - 1
        #expect(b.shape == [2, width])
        #expect(Array(b.targets.prefix(width)) == Array(labels.dropFirst()))
        #expect(b.targets.suffix(width - short.inputIds.count + 1).allSatisfy { $0 == -100 })
        #expect(b.realTokens == ids.count - 1 + short.inputIds.count - 1)
    }
}
