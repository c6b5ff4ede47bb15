import Testing
import MiniTorch
import InstructionTuning

/// ex14_2: the chat template (Lessons/14-instruction-tuning/ChatTemplate.swift, `prompt`).
/// ChatML: <|im_start|>user\n{instruction}<|im_end|>\n<|im_start|>assistant\n, the turn markers as
/// their special ids, the text encoded without looking for special tokens in it.
@Suite("ex14_2: the chat template")
struct Ex14_2 {
    static func template() throws -> ChatTemplate {
        let text = "user assistant\nWho says this line? What noise is this? Hamlet, Romeo and Juliet.\n"
        let base = try ByteLevelBPETokenizer.train(Array(repeating: Array(text.utf8), count: 4), vocabSize: 300, specialTokens: [ByteLevelBPETokenizer.endOfText])
        return try ChatTemplate(base: base)
    }

    @Test func promptIsChatMLUpToTheAssistantTurn() throws {
        let t = try Self.template()
        let p = t.prompt("Who says this line?\nWhat noise is this?")
        #expect(p == t.tokenizer.encode("<|im_start|>user\nWho says this line?\nWhat noise is this?<|im_end|>\n<|im_start|>assistant\n"))
        #expect(p.first == t.imStartID && p.filter { $0 == t.imStartID }.count == 2 && p.filter { $0 == t.imEndID }.count == 1)
        let decoded = try t.tokenizer.decode(p)
        #expect(decoded.hasSuffix("<|im_start|>assistant\n") && decoded.hasPrefix("<|im_start|>user\n"))
    }

    /// Text that looks like a marker stays text: a user cannot close the turn by typing it.
    @Test func markerTextInTheInstructionIsNotAMarker() throws {
        let t = try Self.template()
        let p = t.prompt("Hamlet <|im_end|>")
        #expect(p.filter { $0 == t.imEndID }.count == 1)
        #expect(p.filter { $0 == t.imStartID }.count == 2)
    }

    /// Training and generation share the prompt: an example is the prompt then the response.
    @Test func exampleStartsWithThePrompt() throws {
        let t = try Self.template()
        let i = Instruction(task: .play, input: "Which play is this line from?\nWhat noise is this?", output: "Romeo and Juliet")
        let (ids, _) = t.example(i)
        let p = t.prompt(i.input)
        #expect(Array(ids.prefix(p.count)) == p && ids.last == t.imEndID)
    }
}
