import Foundation
import MiniTorch

// ANCHOR: prior-bias
/// Karpathy's "init well": set the output bias to the log of each class's share of the training
/// set, b_c = ln(pi_c). With the head's weights near 0 (std 0.02) the logits are then about
/// ln(pi), softmax gives back pi for every review, and the loss at step 0 is the entropy of the
/// prior instead of ln C. Softmax ignores a constant added to every logit, so ln(pi) is enough.
public func initializeBiasToLogPrior(_ model: ReviewClassifier, labels: [Int], numClasses: Int) {
    let counts = (0..<numClasses).map { c in labels.filter { $0 == c }.count }
    let logPrior = counts.map { Float(log(Double($0) / Double(labels.count))) }
    model.outProj.bias!.copyFrom(Tensor(logPrior, shape: [numClasses]))
}
// ANCHOR_END: prior-bias

/// The untrained model's validation loss with Hugging Face's init (bias 0) and with the
/// log-prior bias, against ln C and the entropy of the training prior.
public struct PriorBiasCheck: Sendable {
    public var zeroBiasLoss: Double
    public var priorBiasLoss: Double
    public var lnClasses: Double
    public var priorEntropy: Double
    /// Validation reviews the prior-biased, untrained model calls negative.
    public var priorBiasNegatives: Int
    public var validationCount: Int
}

public func priorBiasCheck(data: LessonData, settings: Settings) -> PriorBiasCheck {
    let numLabels = Sentiment.allCases.count
    func fresh() -> ReviewClassifier {
        ReviewClassifier(vocabSize: data.tokenizer.vocabSize, hiddenSize: settings.hiddenSize,
                         numLabels: numLabels, generator: Generator(seed: settings.seed))   // the runs' initial weights
    }
    let plain = fresh(), biased = fresh()
    initializeBiasToLogPrior(biased, labels: data.train.labels, numClasses: numLabels)
    let prior = (0..<numLabels).map { c in Double(data.train.labels.filter { $0 == c }.count) / Double(data.train.count) }
    let (biasedLoss, scores) = evaluate(biased, on: data.validation)
    return PriorBiasCheck(zeroBiasLoss: evaluate(plain, on: data.validation).loss, priorBiasLoss: biasedLoss,
                          lnClasses: log(Double(numLabels)), priorEntropy: -prior.map { $0 * log($0) }.reduce(0, +),
                          priorBiasNegatives: scores.confusion.map { $0[Sentiment.negative.rawValue] }.reduce(0, +),
                          validationCount: data.validation.count)
}

/// The chapter's lines.
public func priorBiasText(_ c: PriorBiasCheck) -> String {
    """
    untrained, output bias 0 (Hugging Face's init):   validation loss \(String(format: "%.3f", c.zeroBiasLoss))   (ln 2 = \(String(format: "%.3f", c.lnClasses)))
    untrained, output bias ln(prior):                 validation loss \(String(format: "%.3f", c.priorBiasLoss))   (entropy of the prior = \(String(format: "%.3f", c.priorEntropy)))
    reviews the prior-biased model calls negative:    \(c.priorBiasNegatives) of \(c.validationCount)
    """
}
