import Testing
import MiniTorch
import LearningCurves

/// ex01_1, hidden: repeated steps on one batch drive its loss down, with a different optimizer
/// (AdamW) and a deeper model: the step must call the optimizer it is given.
@Suite("ex01_1 (hidden): the training step learns")
struct Ex01_1Hidden {
    @Test func repeatedStepsMemoriseOneBatch() {
        let model = MLP(sizes: [2, 16, 3], generator: Generator(seed: 5))
        let optimizer = AdamW(parameters: model.parameters(), learningRate: 0.05, weightDecay: 0)
        let batch = Batch(inputs: Tensor([1, 0, 0, 1, -1, -1, 2, 1], shape: [4, 2]), labels: [0, 1, 2, 0])
        let first = trainingStep(model, batch, lossFunction: CrossEntropyLoss(), optimizer: optimizer).item()
        var last = first
        for _ in 0..<60 { last = trainingStep(model, batch, lossFunction: CrossEntropyLoss(), optimizer: optimizer).item() }
        #expect(last < 0.1 * first, "loss on one batch went from \(first) to \(last) in 60 steps")
        for p in model.parameters() {
            #expect((p.grad?.scalars ?? []).allSatisfy { $0 == 0 }, "gradients should be cleared after a step")
        }
    }
}
