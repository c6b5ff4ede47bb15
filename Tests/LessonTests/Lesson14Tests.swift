import Foundation
import MiniTorch
import Testing
import Workbook
@testable import InstructionTuning

/// Lesson 14's data, template and labels (no model needed), then its claims on one short run of
/// the lesson on a small base: the first 150 steps of lesson 13's run, fine-tuned briefly.
@Suite("Lesson 14: instruction fine-tuning", .serialized)
struct Lesson14Tests {
    static let corpus = Result { try ShakespeareCorpus.load() }
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
        // Skills are held out by whole works (Julius Caesar and Twelfth Night for validation, Macbeth
        // and Much Ado for test); no training instruction names those plays.
        let plays = Set(set.train.filter { $0.task == .play }.map(\.output))
        #expect(!plays.contains("Julius Caesar") && !plays.contains("Twelfth Night") && !plays.contains("Macbeth"))
        #expect(plays.count >= 30, "\(plays.count) plays")
        // Same seed, same set.
        let again = InstructionSet(corpus: try Self.corpus.get(), trainPerTask: 2000, heldOutPerTask: 50, seed: 42)
        #expect(again.train == set.train && again.validation == set.validation)
    }

    /// The frequency floor: "I" is the commonest first word, and answering it scores exactly the
    /// held-out lines that start with "I".
    @Test func commonestAnswerIsTheFrequencyFloor() throws {
        let set = try Self.instructions.get()
        let floor = commonestAnswer(set)
        let firstWords = set.validation.filter { $0.task == .firstWord }
        #expect(floor.correct[.firstWord] == firstWords.filter { $0.output == "I" }.count)
        #expect(floor.total[.firstWord] == 50 && floor.overall < 0.1)
    }

    @Test func tasksAnswerFromTheLine() throws {
        #expect(lastWord(of: "Draw, if you be men.--Gregory, remember") == "remember")
        #expect(lastWord(of: "What, drawn, and talk of peace!") == "peace")
        #expect(playTitle("romeo_and_juliet") == "Romeo and Juliet" && playTitle("henry_iv_part_1") == "Henry IV Part 1")
        let set = try Self.instructions.get()
        for i in set.train.prefix(400) {
            let line = String(i.input.split(separator: "\n").last!)
            switch i.task {
            case .firstWord: #expect(line.hasPrefix(i.output) || line.dropFirst().hasPrefix(i.output))
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

    // MARK: The methods, on a small model (a fresh 2-layer GPT with a 400-token vocabulary; the
    // lesson's own run starts from lesson 13's model, which these tests do not pretrain).

    nonisolated(unsafe) static let quick = Result<(ChatTemplate, GPT2LMHeadModel, [Instruction]), any Error> {
        let t = try ChatTemplate(base: try tokenizer())
        let config = GPT2Config(vocabSize: t.tokenizer.vocabSize - 2, nPositions: 64, nEmbd: 64, nLayer: 2, nHead: 2,
                                residPdrop: 0, embdPdrop: 0, attnPdrop: 0, bosTokenId: 0, eosTokenId: 0)
        let model = resizeTokenEmbeddings(GPT2LMHeadModel(config: config, generator: Generator(seed: 7)), to: t.tokenizer.vocabSize)
        let data = try instructions.get().train.filter { t.example($0).inputIds.count <= 65 }
        return (t, model, Array(data.prefix(400)))
    }

    static func quickRun(_ method: Method, targets: [String] = ["c_attn", "c_proj", "c_fc", "lm_head"], steps: Int = 30) throws -> FineTuneRun {
        let (t, model, data) = try quick.get()
        var f = FineTuneSettings()
        f.method = method
        f.maxSteps = steps
        f.warmupSteps = 5
        f.perDeviceTrainBatchSize = 8
        f.learningRate = method == .full ? 1e-3 : 3e-3
        f.loraTargetModules = targets
        return fineTune(model, template: t, examples: data, f)
    }

    /// The head applied only where a label is gives the loss and the gradients of the full logits
    /// (`responseLoss`), with loss on the response only and on every token.
    @Test func responseLossIsTheFullLogitsLoss() throws {
        let (t, model, data) = try Self.quick.get()
        for trainOnPrompt in [false, true] {
            let batch = collate(data.prefix(6).map { t.example($0, trainOnPrompt: trainOnPrompt) }, padID: 0)
            func lossAndGradients(_ loss: () -> Tensor) -> (Float, [[Float]]) {
                for p in model.parameters() { p.grad = nil }
                let l = loss()
                l.backward()
                return (l.item(), model.parameters().map { $0.grad?.scalars ?? [] })
            }
            let (full, fullGrads) = lossAndGradients {
                crossEntropy(model(inputIds: batch.inputs, shape: batch.shape).reshape([-1, model.config.vocabSize]), batch.targets)
            }
            let (kept, keptGrads) = lossAndGradients { responseLoss(model, batch) }
            #expect(abs(full - kept) <= 1e-5 * abs(full), "\(full) vs \(kept)")
            for (a, b) in zip(fullGrads, keptGrads) {
                #expect(a.count == b.count)
                #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 + 1e-4 * abs($0) })
            }
        }
        for p in model.parameters() { p.grad = nil }
    }

    /// Packing changes the rows, not the training: with dropout off, a packed fine-tune's losses are
    /// the padded one's (the same examples in the same steps) to float rounding, on fewer positions.
    /// (A context of 128, so that two or three conversations share a row.)
    @Test func packedTrainingFollowsPaddedTraining() throws {
        let (t, small, data) = try Self.quick.get()
        var config = small.config
        config.nPositions = 128
        let model = GPT2LMHeadModel(config: config, generator: Generator(seed: 7))
        func run(packing: Bool) -> FineTuneRun {
            var f = FineTuneSettings()
            f.method = .full
            f.maxSteps = 12
            f.warmupSteps = 2
            f.perDeviceTrainBatchSize = 8
            f.learningRate = 1e-3
            f.packing = packing
            return fineTune(model, template: t, examples: data, f)
        }
        let padded = run(packing: false), packed = run(packing: true)
        for (a, b) in zip(padded.trainLosses, packed.trainLosses) { #expect(abs(a - b) <= 1e-4 * abs(a), "\(a) vs \(b)") }
        #expect(packed.realTokenShare > padded.realTokenShare, "\(packed.realTokenShare) vs \(padded.realTokenShare)")
    }

    /// Each method learns (the response loss falls), from the same start (same first loss), and
    /// costs what the chapter's table says: LoRA trains r x (in + out) per adapted layer, AdamW keeps
    /// two Float32 numbers per trainable parameter, QLoRA's base holds 4.127 bits per weight.
    @Test func threeMethodsLearnAndTheLedgerAddsUp() throws {
        let (_, model, _) = try Self.quick.get()
        let runs = try Method.allCases.map { try Self.quickRun($0) }
        for r in runs {
            let first = r.trainLosses.prefix(5).reduce(0, +) / 5, last = r.trainLosses.suffix(5).reduce(0, +) / 5
            #expect(last < first * 0.9, "\(r.settings.method): \(first) -> \(last)")
        }
        #expect(abs(runs[0].trainLosses[0] - runs[1].trainLosses[0]) < 1e-4 && abs(runs[1].trainLosses[0] - runs[2].trainLosses[0]) < 0.05)
        let (h, v, layers) = (64, model.config.vocabSize, 2)
        let perBlock = 8 * (h + 3 * h) + 8 * (h + h) + 8 * (h + 4 * h) + 8 * (4 * h + h)   // c_attn, attn.c_proj, c_fc, mlp.c_proj
        #expect(runs[1].trainableParameters == layers * perBlock + 8 * (h + v))              // + lm_head
        #expect(runs[2].trainableParameters == runs[1].trainableParameters)
        #expect(runs[0].trainableParameters == model.parameterCount())
        #expect(runs[0].optimizerStateBytes == 2 * 4 * runs[0].trainableParameters)
        #expect(runs[1].optimizerStateBytes == 2 * 4 * runs[1].trainableParameters)
        // Paged: the same two numbers per parameter, held in whole pages of 4,096 floats per tensor.
        let pages = runs[2].model.parameters().filter(\.requiresGrad).reduce(0) { $0 + ($1.count + 4095) / 4096 }
        #expect(runs[2].optimizerStateBytes == 2 * pages * 4096 * 4)
        // NF4 + double quantisation: 4 + 8/64 + 32/(64 x 256) = 4.127 bits per weight for large
        // matrices, "4.13" once the last partial block of constants is counted.
        #expect(abs(runs[2].baseBitsPerParameter! - 4.13) < 0.005, "\(runs[2].baseBitsPerParameter!)")
        #expect(runs[2].modelBytes < runs[1].modelBytes / 2)
    }

    /// The bug museum's never-ending answer: with the head tied and the new rows at the mean, a LoRA
    /// that leaves wte and lm_head frozen gives <|im_end|> exactly the mean of the other logits,
    /// never the largest, so greedy decoding never stops; adapting lm_head lets it be learned.
    @Test func endOfTurnNeedsTheHeadToLearn() throws {
        let (t, base, _) = try Self.quick.get()
        let prompt = t.prompt("Which play is this line from?\nWhat noise is this?")
        func meanOfOld(_ l: [Float]) -> Float { l.prefix(l.count - 2).reduce(0, +) / Float(l.count - 2) }
        let before = base.lastLogits(prompt)
        #expect(abs(before[t.imEndID] - meanOfOld(before)) < 1e-4 && before[t.imEndID] < before.max()!)
        let withoutHead = try Self.quickRun(.lora, targets: ["c_attn", "c_proj", "c_fc"], steps: 20)
        let l = withoutHead.model.lastLogits(prompt)
        #expect(abs(l[t.imEndID] - meanOfOld(l)) < 1e-3 && l[t.imEndID] < l.max()!)
        let withHead = try Self.quickRun(.lora, steps: 20)
        #expect(abs(withHead.model.lastLogits(prompt)[t.imEndID] - meanOfOld(withHead.model.lastLogits(prompt))) > 0.01)
    }
}
