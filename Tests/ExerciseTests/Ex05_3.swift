import Foundation
import Testing
import MiniTorch
import Overfitting

/// ex05_3: the overfit rule of `diagnose` (Lessons/05-overfitting/CurveDiagnosis.swift,
/// `overfitEvidence`): the smoothed validation loss bottoms out in the first 80% of the run, ends
/// more than 10% above that minimum, while training loss keeps falling (by more than 5%). The
/// curves below are smooth and fall far enough that rules 1 and 2 (erratic, underfit) never fire.
@Suite("ex05_3: a diagnose rule, overfitting")
struct Ex05_3 {
    /// 31 points of a smoothly falling training loss, 1.0 to about 0.32.
    static let train: [Float] = falling(rate: 8)

    /// 0.3 + 0.7 e^(-i / rate) at points 0...30.
    static func falling(rate: Double) -> [Float] {
        (0..<31).map { (i: Int) -> Float in Float(0.3 + 0.7 * exp(-Double(i) / rate)) }
    }

    /// 0.5 + curvature (i - m)^2 at points 0...30.
    static func validation(minimumAt m: Int, curvature: Double) -> [Float] {
        (0..<31).map { (i: Int) -> Float in
            let d = Double(i - m)
            return Float(0.5 + curvature * d * d)
        }
    }

    @Test func uShapedValidationIsOverfit() {
        let d = diagnose(train: Self.train, validation: Self.validation(minimumAt: 10, curvature: 0.002))
        #expect(d.kind == .overfit, "\(d)")
    }

    @Test func validationStillFallingIsWellFit() {
        let valid = Self.train.map { (x: Float) -> Float in x + 0.05 }
        let d = diagnose(train: Self.train, validation: valid)
        #expect(d.kind == .wellFit, "\(d)")
    }

    /// Minimum at 10 of 30, then a straight rise: to 8% above the minimum (not overfit) or 15%.
    @Test func theRiseMustExceedTenPercent() {
        func rising(_ r: Float) -> [Float] {
            (0..<31).map { (i: Int) -> Float in
                if i <= 10 { return 0.6 - 0.01 * Float(i) }
                return 0.5 * (1 + r * Float(i - 10) / 20)
            }
        }
        let small = diagnose(train: Self.train, validation: rising(0.08))
        #expect(small.kind == .wellFit, "a rise of 8%: \(small)")
        let large = diagnose(train: Self.train, validation: rising(0.15))
        #expect(large.kind == .overfit, "a rise of 15%: \(large)")
    }

    /// Training that fell fast and then went flat: validation rises, but training gains nothing
    /// after the validation minimum, so the rule does not call it overfitting.
    @Test func trainingMustStillBeFalling() {
        let flat = Self.falling(rate: 2)
        let d = diagnose(train: flat, validation: Self.validation(minimumAt: 10, curvature: 0.002))
        #expect(d.kind == .wellFit, "\(d)")
    }
}
