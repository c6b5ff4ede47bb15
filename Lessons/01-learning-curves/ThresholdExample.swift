import Foundation
import MiniTorch

/// One prediction of a binary classifier ("is it a dog?") on an example whose true label is 1.
public struct ThresholdRow: Sendable, Equatable {
    /// The model's probability for class 1.
    public var probability: Float
    /// Binary cross-entropy, -log(probability) for label 1, computed by BCEWithLogitsLoss.
    public var loss: Double
    /// The thresholded prediction: 1 if probability > 0.5, else 0.
    public var prediction: Int
    /// Accuracy on this one example: 1 if the prediction equals the label, else 0.
    public var accuracy: Double
}

// ANCHOR: threshold
/// The loss and the accuracy of the same predictions. BCEWithLogitsLoss takes raw scores
/// (logits), so each probability p goes in as its logit log(p / (1 - p)).
public func thresholdExample(probabilities: [Float] = [0.3, 0.4, 0.49, 0.51], label: Int = 1) -> [ThresholdRow] {
    let lossFunction = BCEWithLogitsLoss()
    return probabilities.map { p in
        let logit = Foundation.log(p / (1 - p))
        let loss = lossFunction(Tensor([logit]), Tensor([Float(label)])).item()
        let prediction = p > 0.5 ? 1 : 0                  // the step: 0.49 and 0.3 are both "0"
        return ThresholdRow(probability: p, loss: Double(loss), prediction: prediction,
                            accuracy: prediction == label ? 1 : 0)
    }
}
// ANCHOR_END: threshold
