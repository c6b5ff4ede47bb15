import Foundation
import Testing
import LearningCurves

/// ex01_2: perplexity from a mean cross-entropy (Lessons/01-learning-curves/Evaluation.swift,
/// `perplexity(ofMeanLoss:)`): e^L, the number of equally likely choices a model is as unsure as.
@Suite("ex01_2: perplexity from the mean loss")
struct Ex01_2 {
    /// A model that gives the right class probability 1/4 everywhere has loss ln 4: perplexity 4.
    @Test func uniformOverFourClassesIsFour() {
        let p = perplexity(ofMeanLoss: 1.3862943611198906)
        #expect(abs(p - 4) < 1e-9, "perplexity(ln 4) = \(p)")
    }

    @Test func perfectModelIsOne() {
        #expect(perplexity(ofMeanLoss: 0) == 1, "perplexity(0) = \(perplexity(ofMeanLoss: 0))")
    }

    /// e^2 = 7.38905609893065 (Python: math.exp(2)).
    @Test func expOfTheLoss() {
        let p = perplexity(ofMeanLoss: 2)
        #expect(abs(p - 7.38905609893065) < 1e-9, "perplexity(2) = \(p)")
        let q = perplexity(ofMeanLoss: 0.6931471805599453)   // ln 2
        #expect(abs(q - 2) < 1e-9, "perplexity(ln 2) = \(q)")
    }
}
