import Foundation
import Testing
import MiniTorch
import LearningCurves

/// ex01_1: one step of the training loop (Lessons/01-learning-curves/LearningCurves.swift,
/// `trainingStep`): forward, loss, backward, step, zeroGrad.
///
/// The reference is plain SGD on a 2 -> 3 linear layer, worked out by hand below: for mean
/// cross-entropy over B examples, dLoss/dlogits = (softmax(z) - onehot(y)) / B, so
/// dW = sum_i dz_i x_i^T and db = sum_i dz_i, and SGD sets w <- w - lr * dw.
@Suite("ex01_1: the training step")
struct Ex01_1 {
    static let inputs: [Double] = [1.0, -2.0, 0.5, 3.0]          // two examples of 2 features
    static let labels = [0, 2]
    static let startWeight: [Double] = [0.2, -0.1, 0.4, 0.3, -0.5, 0.1]   // [3, 2]
    static let startBias: [Double] = [0.0, 0.1, -0.2]
    static let lr = 0.5

    /// A linear layer holding the start values.
    static func makeLayer() -> Linear {
        let layer = Linear(inFeatures: 2, outFeatures: 3, generator: Generator(seed: 1))
        for i in 0..<6 { layer.weight.pointer[i] = Float(startWeight[i]) }
        for i in 0..<3 { layer.bias!.pointer[i] = Float(startBias[i]) }
        return layer
    }

    /// Mean cross-entropy at (w, b), and w, b after one SGD step, in Double.
    static func handStep(_ w: [Double], _ b: [Double]) -> (loss: Double, w: [Double], b: [Double]) {
        var gw = [Double](repeating: 0, count: 6), gb = [Double](repeating: 0, count: 3)
        var loss = 0.0
        let n = labels.count
        for i in 0..<n {
            let x = [inputs[2 * i], inputs[2 * i + 1]]
            let z = (0..<3).map { k in w[2 * k] * x[0] + w[2 * k + 1] * x[1] + b[k] }
            let m = z.max()!
            let e = z.map { exp($0 - m) }
            let total = e.reduce(0, +)
            let p = e.map { $0 / total }
            loss += -log(p[labels[i]]) / Double(n)
            for k in 0..<3 {
                let dz = (p[k] - (k == labels[i] ? 1 : 0)) / Double(n)
                gw[2 * k] += dz * x[0]
                gw[2 * k + 1] += dz * x[1]
                gb[k] += dz
            }
        }
        return (loss, zip(w, gw).map { $0 - lr * $1 }, zip(b, gb).map { $0 - lr * $1 })
    }

    static func batch() -> Batch {
        Batch(inputs: Tensor(inputs.map(Float.init), shape: [2, 2]), labels: labels)
    }

    @Test func oneStepIsSGDOnTheBatchGradient() {
        let layer = Self.makeLayer()
        let optimizer = SGD(parameters: layer.parameters(), learningRate: Float(Self.lr))
        let loss = trainingStep(layer, Self.batch(), lossFunction: CrossEntropyLoss(), optimizer: optimizer)
        let expected = Self.handStep(Self.startWeight, Self.startBias)
        #expect(abs(Double(loss.item()) - expected.loss) < 1e-5,
                "the returned loss \(loss.item()) should be the batch's loss before the update, \(expected.loss)")
        #expect(exerciseClose(layer.weight.scalars, expected.w.map(Float.init), 1e-5),
                "weights after one step \(layer.weight.scalars), expected \(expected.w)")
        #expect(exerciseClose(layer.bias!.scalars, expected.b.map(Float.init), 1e-5),
                "bias after one step \(layer.bias!.scalars), expected \(expected.b)")
    }

    /// Without zeroGrad the second step would use the sum of both gradients.
    @Test func secondStepUsesOnlyItsOwnGradient() {
        let layer = Self.makeLayer()
        let optimizer = SGD(parameters: layer.parameters(), learningRate: Float(Self.lr))
        _ = trainingStep(layer, Self.batch(), lossFunction: CrossEntropyLoss(), optimizer: optimizer)
        let second = trainingStep(layer, Self.batch(), lossFunction: CrossEntropyLoss(), optimizer: optimizer)
        let one = Self.handStep(Self.startWeight, Self.startBias)
        let two = Self.handStep(one.w, one.b)
        #expect(abs(Double(second.item()) - two.loss) < 1e-5, "second step's loss \(second.item()), expected \(two.loss)")
        #expect(exerciseClose(layer.weight.scalars, two.w.map(Float.init), 1e-5),
                "weights after two steps \(layer.weight.scalars), expected \(two.w); are the gradients cleared after each step?")
        #expect(exerciseClose(layer.bias!.scalars, two.b.map(Float.init), 1e-5),
                "bias after two steps \(layer.bias!.scalars), expected \(two.b)")
    }

    /// Repeated steps on one batch drive its loss down, with another optimizer (AdamW) and a
    /// deeper model: the step must call the optimizer it is given.
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
