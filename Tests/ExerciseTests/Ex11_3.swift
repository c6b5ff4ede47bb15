import Foundation
import Testing
import MiniTorch
import Monitoring

/// ex11_3: the validation evaluation (Lessons/11-monitoring/Monitoring.swift, `evaluate`): the
/// model's logits on every validation example without a graph, their mean cross-entropy, the
/// accuracy and macro-F1 of the argmax predictions over the 4 topics; perplexity is exp(loss).
/// Reference values: NumPy. The macro-F1 comes from MiniTorch's metrics, so this needs ex09_2.
@Suite("ex11_3: the validation evaluation")
struct Ex11_3 {
    /// A linear "model" 2 -> 4 with weights [[1, 0], [0, 1], [-1, 0], [0, -1]] and no bias.
    static func model() -> Linear {
        let linear = Linear(inFeatures: 2, outFeatures: 4, bias: false, generator: Generator(seed: 1))
        linear.weight.copyFrom(Tensor([1, 0, 0, 1, -1, 0, 0, -1], shape: [4, 2]))
        return linear
    }

    /// Predictions [0, 1, 2, 3, 0] for labels [0, 1, 3, 3, 1].
    @Test func lossAccuracyMacroF1Perplexity() {
        let data = TensorDataset(features: [[2, 0], [0, 1], [-1, 0.5], [0, -3], [1, 0.5]], labels: [0, 1, 3, 3, 1])
        let e = evaluate(Self.model(), on: data)
        #expect(abs(e.loss - 0.8657069249191187) < 1e-6, "loss \(e.loss)")
        #expect(e.accuracy == 0.6, "accuracy \(e.accuracy)")
        #expect(abs(e.macroF1 - 0.5) < 1e-12, "macro-F1 \(e.macroF1): F1 per class [2/3, 2/3, 0, 2/3]")
        #expect(abs(e.perplexity - 2.3766856305483577) < 1e-5, "perplexity \(e.perplexity)")
    }

    /// Equal logits for every topic: loss ln 4, perplexity 4.
    @Test func uniformModel() {
        let zero = Linear(inFeatures: 3, outFeatures: 4, bias: false, generator: Generator(seed: 2))
        zero.weight.copyFrom(.zeros([4, 3]))
        let data = TensorDataset(features: [[1, 2, 3], [0, 0, 1], [5, 1, 0], [2, 2, 2]], labels: [0, 1, 2, 3])
        let e = evaluate(zero, on: data)
        #expect(abs(e.loss - log(4)) < 1e-6 && abs(e.perplexity - 4) < 1e-5, "loss \(e.loss), perplexity \(e.perplexity)")
    }
}
