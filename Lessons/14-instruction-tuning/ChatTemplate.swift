import Foundation
import MiniTorch

/// The chat template: how an instruction and its answer become one token sequence. ChatML, the
/// format of OpenAI's chat models that Qwen's and many Hugging Face templates use:
///
///     <|im_start|>user\n{instruction}<|im_end|>\n<|im_start|>assistant\n{answer}<|im_end|>
///
/// `<|im_start|>` and `<|im_end|>` are special tokens: never split, never made from text the
/// merges could also produce. `<|im_end|>` ends the assistant's turn, so generation stops there.
/// Hugging Face's `apply_chat_template(messages, add_generation_prompt=True)` renders the same
/// prompt up to and including "<|im_start|>assistant\n"; the answer and `<|im_end|>` are what the
/// model writes. (Qwen's template puts "\n" after every `<|im_end|>`; a one-turn example ends at
/// the end-of-turn token, so ours stops there.)
public struct ChatTemplate: Sendable {
    public static let imStart = "<|im_start|>"
    public static let imEnd = "<|im_end|>"
    /// Lesson 12's label for tokens no loss is taken on (PyTorch's `ignore_index=-100`).
    public static let ignoreIndex = -100

    public let tokenizer: ByteLevelBPETokenizer
    public let imStartID: Int
    public let imEndID: Int

    /// Lesson 13's tokenizer with the two turn markers added after its last id, as Hugging Face's
    /// `tokenizer.add_special_tokens({"additional_special_tokens": [...]})`: the merges are not
    /// retrained, so every text encodes to the same ids as before; the model must then grow its
    /// embedding by two rows (`resizeTokenEmbeddings`).
    public init(base: ByteLevelBPETokenizer) throws {
        let existing = Set(base.specialTokens.map(\.content))
        var tokenBytes = base.tokenBytes, specials = base.specialTokens
        for token in [Self.imStart, Self.imEnd] where !existing.contains(token) {
            specials.append((token, tokenBytes.count))
            tokenBytes.append(Array(token.utf8))
        }
        tokenizer = try ByteLevelBPETokenizer(tokenBytes: tokenBytes, merges: base.merges, specialTokens: specials)
        imStartID = tokenizer.specialTokenID(Self.imStart)!
        imEndID = tokenizer.specialTokenID(Self.imEnd)!
    }

    // ANCHOR: template
    /// The prompt for `instruction`, ending where the assistant starts to write: what training
    /// and generation both feed the model.
    public func prompt(_ instruction: String) -> [Int] {
        // BEGIN SOLUTION ex14_2
        [imStartID] + tokenizer.encode("user\n" + instruction, allowSpecial: false) + [imEndID]
            + tokenizer.encode("\n", allowSpecial: false) + [imStartID] + tokenizer.encode("assistant\n", allowSpecial: false)
        // END SOLUTION
    }

    /// The assistant's turn: the answer, then the end-of-turn token.
    public func response(_ answer: String) -> [Int] {
        tokenizer.encode(answer, allowSpecial: false) + [imEndID]
    }
    // ANCHOR_END: template

    /// One training example: the whole conversation and its labels. With `trainOnPrompt` false
    /// (the default, TRL's `completion_only_loss`), every prompt token is labelled -100 and only
    /// the answer and `<|im_end|>` are learned; with it true, every token is.
    public func example(_ instruction: Instruction, trainOnPrompt: Bool = false) -> (inputIds: [Int], labels: [Int]) {
        let p = prompt(instruction.input), r = response(instruction.output)
        return (p + r, responseLabels(promptLength: p.count, ids: p + r, trainOnPrompt: trainOnPrompt))
    }
}

// ANCHOR: labels
/// Labels for `ids` whose first `promptLength` tokens are the prompt: -100 on the prompt (no loss
/// there, as `CrossEntropyLoss(ignore_index=-100)` skips them), the token itself on the response.
/// Hugging Face's labels are the input ids unshifted; the model shifts them (logits at t
/// predict label t + 1), as `GPT2LMHeadModel`'s loss does.
public func responseLabels(promptLength: Int, ids: [Int], trainOnPrompt: Bool = false) -> [Int] {
    // BEGIN SOLUTION ex14_1
    if trainOnPrompt { return ids }
    return ids.enumerated().map { i, id in i < promptLength ? ChatTemplate.ignoreIndex : id }
    // END SOLUTION
}
// ANCHOR_END: labels
