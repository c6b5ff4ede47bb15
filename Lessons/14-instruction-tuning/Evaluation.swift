import Foundation
import GPTPretraining
import MiniTorch

// ANCHOR: answer
/// The model's answer to `instruction`: the template's prompt, then greedy decoding until the
/// end-of-turn token `<|im_end|>` (or the context is full), decoded without that token.
public func answer(_ model: GPT2LMHeadModel, template: ChatTemplate, instruction: String, maxNewTokens: Int = 40) -> String {
    let prompt = template.prompt(instruction)
    let room = model.config.nPositions - prompt.count
    if room < 1 { return "" }
    let config = GenerationConfig(maxNewTokens: min(maxNewTokens, room), doSample: false, eosTokenId: template.imEndID)
    let new = model.generate(prompt, config: config).dropFirst(prompt.count).filter { $0 != template.imEndID }
    return String(decoding: (try? template.tokenizer.decodeBytes(Array(new))) ?? [], as: UTF8.self)
}
// ANCHOR_END: answer

/// Exact-match accuracy on held-out instructions, per task and over all of them.
public struct ExactMatch: Sendable {
    public let correct: [InstructionTask: Int]
    public let total: [InstructionTask: Int]
    /// How many answers ended with `<|im_end|>` rather than running to the token limit.
    public let stopped: Int
    public let answers: [String]

    public func accuracy(_ task: InstructionTask) -> Double { Double(correct[task] ?? 0) / Double(max(total[task] ?? 0, 1)) }
    public var overall: Double { Double(correct.values.reduce(0, +)) / Double(max(total.values.reduce(0, +), 1)) }
}

/// Answers every instruction greedily and counts the exact matches (the whole answer, character
/// for character).
public func exactMatch(_ model: GPT2LMHeadModel, template: ChatTemplate, on instructions: [Instruction]) -> ExactMatch {
    var correct: [InstructionTask: Int] = [:], total: [InstructionTask: Int] = [:], stopped = 0, answers: [String] = []
    for i in instructions {
        let prompt = template.prompt(i.input)
        let config = GenerationConfig(maxNewTokens: max(1, min(40, model.config.nPositions - prompt.count)), eosTokenId: template.imEndID)
        let tokens = model.generate(prompt, config: config)
        if tokens.last == template.imEndID { stopped += 1 }
        let new = tokens.dropFirst(prompt.count).filter { $0 != template.imEndID }
        let text = String(decoding: (try? template.tokenizer.decodeBytes(Array(new))) ?? [], as: UTF8.self)
        answers.append(text)
        total[i.task, default: 0] += 1
        if text == i.output { correct[i.task, default: 0] += 1 }
    }
    return ExactMatch(correct: correct, total: total, stopped: stopped, answers: answers)
}

/// Held-out Shakespeare (lesson 13's validation works, plain text, no template) as next-token
/// windows of the model's context, and the bytes they stand for: what "forgetting" is measured on.
public struct HeldOutText: Sendable {
    public let batches: [GPTPretraining.Batch]
    public let bytesPerTokenID: [Int]

    public init(corpus: ShakespeareCorpus, tokenizer: ByteLevelBPETokenizer, context: Int, batches limit: Int) {
        let ids = corpus.tokenIDs(.validation, tokenizer: tokenizer)
        batches = evaluationBatches(ids, batchSize: 12, context: context, limit: limit)
        let specials = Set(tokenizer.specialTokens.map(\.id))
        bytesPerTokenID = tokenizer.tokenBytes.enumerated().map { specials.contains($0.offset) ? 0 : $0.element.count }
    }

    /// Bits per byte of `model` on these windows (lesson 13's measure).
    public func bitsPerByte(_ model: GPT2LMHeadModel) -> Double {
        var nats = 0.0, bytes = 0
        noGrad {
            for b in batches {
                let logits = model(inputIds: b.inputs, shape: b.shape)                                   // [B, T, vocab]
                nats += Double(crossEntropy(logits.reshape([-1, model.config.vocabSize]), b.targets, reduction: .sum).item())
                bytes += b.targets.reduce(0) { $0 + bytesPerTokenID[$1] }
            }
        }
        return nats / log(2) / Double(bytes)
    }
}

/// The floor a model that learnt only the answers' frequencies reaches: each task answered with
/// its commonest training answer ("I" for the first word, the most quoted play).
public func commonestAnswer(_ set: InstructionSet) -> ExactMatch {
    var correct: [InstructionTask: Int] = [:], total: [InstructionTask: Int] = [:]
    for task in InstructionTask.allCases where set.train.contains(where: { $0.task == task }) {
        var counts: [String: Int] = [:]
        for i in set.train where i.task == task { counts[i.output, default: 0] += 1 }
        let best = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        let held = set.validation.filter { $0.task == task }
        total[task] = held.count
        correct[task] = held.filter { $0.output == best }.count
    }
    return ExactMatch(correct: correct, total: total, stopped: 0, answers: [])
}
