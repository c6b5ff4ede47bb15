import Foundation
import MiniTorch

/// All examples of a data set stacked into one batch: small sets are measured in one pass.
public func wholeSet<D: Dataset>(_ dataset: D) -> Batch where D.Example == LabeledExample {
    Batch.collate((0..<dataset.count).map { dataset[$0] })
}

// ANCHOR: evaluate
/// Mean cross-entropy and accuracy of `model` on `batch`, without recording a graph.
/// Loss scores the probability given to the right class; accuracy only asks whether the
/// largest logit is the right class.
public func evaluate(_ model: Module, on batch: Batch) -> (loss: Double, accuracy: Double) {
    noGrad {
        let logits = model(batch.inputs)                          // [N, classes]
        let loss = crossEntropy(logits, batch.labels).item()      // mean of -log p(true class)
        return (Double(loss), accuracy(logits: logits, labels: batch.labels))   // argmax == label
    }
}
// ANCHOR_END: evaluate
