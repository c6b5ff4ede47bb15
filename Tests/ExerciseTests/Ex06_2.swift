import Foundation
import Testing
import MiniTorch
import MaskedLanguageModeling

/// ex06_2: the masked-position mean loss (Lessons/06-masked-language-modeling/Pretraining.swift,
/// `maskedMeanLoss`), whose exp is the perplexity lesson 06 reports. Only positions with a label
/// (not -100) count, and each counts once: the sum of their cross-entropies over their number,
/// not the mean of per-batch means. Reference values: Python/NumPy, -log_softmax(logits)[label].
@Suite("ex06_2: the masked-position mean loss")
struct Ex06_2 {
    /// Batch 1: B 1, T 3, V 4 with two labelled positions; batch 2: B 1, T 2 with one.
    static var batches: [(logits: Tensor, labels: [Int])] {
        [(Tensor([1, 3, -1, 0.5, 0, 0, 0, 0, 2, -2, 1, 0], shape: [1, 3, 4]), [2, -100, 0]),
         (Tensor([0.5, 0.5, 2, -1, 1, 1, 1, 4], shape: [1, 2, 4]), [-100, 3])]
    }

    /// (4.211666679855986 + 0.4197166463153392 + 0.1392063142194564) / 3 = 1.5901965467969272.
    @Test func meanOverTheMaskedPositions() {
        let loss = maskedMeanLoss(Self.batches)
        #expect(abs(loss - 1.5901965467969272) < 1e-5, "loss \(loss); the mean of the batch means would be 1.22745, every position 1.61194")
        #expect(abs(exp(loss) - 4.904712839195114) < 1e-4, "perplexity \(exp(loss))")
    }

    @Test func oneBatchOnePosition() {
        let loss = maskedMeanLoss([(logits: Tensor([1, 3, -1, 0.5], shape: [1, 1, 4]), labels: [2])])
        #expect(abs(loss - 4.211666679855986) < 1e-5, "loss \(loss)")
    }

    /// Equal logits: every masked word has probability 1/V, loss ln V, perplexity V.
    @Test func uniformPredictionsHavePerplexityV() {
        let v = 50
        let labels = (0..<24).map { $0 % 3 == 0 ? $0 % v : -100 }
        let loss = maskedMeanLoss([(logits: Tensor.zeros([2, 12, v]), labels: labels),
                                   (logits: Tensor.zeros([1, 5, v]), labels: [7, -100, -100, -100, -100])])
        #expect(abs(loss - log(Double(v))) < 1e-5, "loss \(loss), expected ln 50 = \(log(Double(v)))")
        #expect(abs(exp(loss) - Double(v)) < 1e-3, "perplexity \(exp(loss)), expected 50")
    }

    /// Splitting the same positions into batches differently changes nothing.
    @Test func batchingDoesNotMatter() {
        let g = Generator(seed: 5)
        let logits = Tensor.randn([6, 4, 9], generator: g)
        let labels = (0..<24).map { i in i % 5 == 1 || i == 3 ? (i * 7) % 9 : -100 }
        let whole = maskedMeanLoss([(logits: logits, labels: labels)])
        let rows = logits.scalars
        let split = [(0, 1), (1, 4), (4, 6)].map { (a, b) in
            (logits: Tensor(Array(rows[(a * 36)..<(b * 36)]), shape: [b - a, 4, 9]), labels: Array(labels[(a * 4)..<(b * 4)]))
        }
        let parts = maskedMeanLoss(split)
        #expect(abs(whole - parts) < 1e-5, "one batch \(whole), three batches \(parts)")
    }
}
