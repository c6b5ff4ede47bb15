import Testing
import LearningCurves

/// ex01_3: the loss-at-initialisation check (Lessons/01-learning-curves/Evaluation.swift,
/// `initialLossCheck`): an untrained classifier over C classes should start near -ln(1/C) = ln C.
/// Reference values from Python's math.log.
@Suite("ex01_3: the ln(C) initial-loss check")
struct Ex01_3 {
    @Test func fourClasses() {
        let c = initialLossCheck(loss: 1.5, classes: 4)
        #expect(abs(c.expected - 1.3862943611198906) < 1e-12, "expected loss for 4 classes: \(c.expected)")
        #expect(abs(c.relativeChange - 0.08202128066672265) < 1e-12, "1.5 against ln 4: \(c.relativeChange)")
    }

    @Test func twoAndTenClasses() {
        let two = initialLossCheck(loss: 0.9, classes: 2)
        #expect(abs(two.expected - 0.6931471805599453) < 1e-12, "expected loss for 2 classes: \(two.expected)")
        #expect(abs(two.relativeChange - 0.2984255368000672) < 1e-12, "0.9 against ln 2: \(two.relativeChange)")
        let ten = initialLossCheck(loss: 2.302585092994046, classes: 10)
        #expect(abs(ten.expected - 2.302585092994046) < 1e-12, "expected loss for 10 classes: \(ten.expected)")
        #expect(abs(ten.relativeChange) < 1e-12, "a loss of exactly ln 10: \(ten.relativeChange)")
    }

    @Test func belowTheUniformLossIsNegative() {
        let c = initialLossCheck(loss: 0.6931471805599453, classes: 4)   // ln 2 against ln 4
        #expect(abs(c.relativeChange + 0.5) < 1e-12, "ln 2 against ln 4 is 50% below: \(c.relativeChange)")
    }
}
