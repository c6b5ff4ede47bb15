import Foundation

/// Share of predictions equal to their label, skipping labels of `ignoreIndex` (-100, the
/// positions a masked-LM loss ignores), as `evaluate.load("accuracy")` on the kept positions.
/// Returns 0 when no label is kept.
public func accuracy(predictions: [Int], labels: [Int], ignoreIndex: Int = -100) -> Double {
    if predictions.count != labels.count {
        fail("accuracy: \(predictions.count) predictions for \(labels.count) labels")
    }
    var correct = 0, total = 0
    for (p, y) in zip(predictions, labels) where y != ignoreIndex {
        total += 1
        if p == y { correct += 1 }
    }
    return total == 0 ? 0 : Double(correct) / Double(total)
}

/// Accuracy of the largest logit: `logits` is [..., C], `labels` one per row of [...].
public func accuracy(logits: Tensor, labels: [Int], ignoreIndex: Int = -100) -> Double {
    accuracy(predictions: logits.argmax(axis: -1), labels: labels, ignoreIndex: ignoreIndex)
}

/// Perplexity = exp(mean cross-entropy in nats): the number of equally likely choices that
/// would leave a model as unsure as it is. A uniform guess over V tokens has loss ln V and
/// perplexity V. Pass the mean over tokens, not a mean of batch means (see lesson 04).
public func perplexity(meanLoss: Double) -> Double { Foundation.exp(meanLoss) }
