import Testing
import MiniTorch
import InstructionTuning

/// ex14_1: labels with -100 on the prompt (Lessons/14-instruction-tuning/ChatTemplate.swift,
/// `responseLabels`). The loss is taken only where a label is not -100, so the prompt's tokens
/// must be -100 and the response's tokens (the answer and `<|im_end|>`) must be themselves.
@Suite("ex14_1: labels -100 on the prompt")
struct Ex14_1 {
    @Test func promptIsIgnoredResponseIsLearned() {
        let ids = [7, 3, 9, 9, 4, 11, 12, 2]
        #expect(responseLabels(promptLength: 5, ids: ids) == [-100, -100, -100, -100, -100, 11, 12, 2])
        #expect(responseLabels(promptLength: 0, ids: ids) == ids)
        #expect(responseLabels(promptLength: 8, ids: ids) == Array(repeating: -100, count: 8))
    }

    @Test func trainOnPromptKeepsEveryToken() {
        let ids = [5, 6, 7, 8]
        #expect(responseLabels(promptLength: 2, ids: ids, trainOnPrompt: true) == ids)
    }

    /// The loss with these labels is the mean over the response tokens only.
    @Test func lossCountsOnlyTheResponse() {
        let logits = Tensor.randn([4, 6], generator: Generator(seed: 1))
        let labels = responseLabels(promptLength: 2, ids: [1, 2, 3, 4])
        let all = crossEntropy(logits, [1, 2, 3, 4], reduction: .none).scalars
        #expect(abs(crossEntropy(logits, labels).item() - (all[2] + all[3]) / 2) < 1e-5)
    }
}
