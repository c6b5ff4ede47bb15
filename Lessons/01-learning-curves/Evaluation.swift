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

// ANCHOR: perplexity
/// Perplexity, e^L for a mean cross-entropy L in nats: the number of equally likely choices
/// that would leave a model as unsure as it is. A model that spreads its probability evenly
/// over C classes has L = ln C and perplexity C; a perfect one has L = 0 and perplexity 1.
public func perplexity(ofMeanLoss meanLoss: Double) -> Double {
    // BEGIN SOLUTION ex01_2
    Foundation.exp(meanLoss)
    // END SOLUTION
}
// ANCHOR_END: perplexity

/// The loss of an untrained classifier set against the loss of knowing nothing.
public struct InitialLossCheck: Sendable, Equatable {
    /// -ln(1/C) = ln C: the cross-entropy of the uniform guess over C classes.
    public var expected: Double
    /// loss / expected - 1: +0.10 means 10% above ln C.
    public var relativeChange: Double
}

// ANCHOR: initial-loss
/// Checks the loss at step 0 against ln C, the loss of a model that gives every one of the C
/// classes probability 1/C (Karpathy's "verify loss @ init").
public func initialLossCheck(loss: Double, classes: Int) -> InitialLossCheck {
    // BEGIN SOLUTION ex01_3
    let expected = Foundation.log(Double(classes))
    return InitialLossCheck(expected: expected, relativeChange: loss / expected - 1)
    // END SOLUTION
}
// ANCHOR_END: initial-loss
