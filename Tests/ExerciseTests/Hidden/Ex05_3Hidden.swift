import Foundation
import Testing
import MiniTorch
import Overfitting

/// ex05_3, hidden: a late minimum, and curves of different lengths (compared by position).
@Suite("ex05_3 (hidden): the overfit rule's position checks")
struct Ex05_3Hidden {
    /// 0.5 + curvature (i - m)^2 at points 0..<count.
    static func parabola(count: Int, minimumAt m: Int, curvature: Double) -> [Float] {
        (0..<count).map { (i: Int) -> Float in
            let d = Double(i - m)
            return Float(0.5 + curvature * d * d)
        }
    }

    /// Training falls in a straight line; validation bottoms out at point 26 of 30 (87% of the
    /// run) and rises sharply: too late in the run to call overfitting.
    @Test func aLateMinimumIsNotOverfit() {
        let train: [Float] = (0..<31).map { (i: Int) -> Float in 1 - 0.02 * Float(i) }
        let d = diagnose(train: train, validation: Self.parabola(count: 31, minimumAt: 26, curvature: 0.03))
        #expect(d.kind == .wellFit, "\(d)")
    }

    /// 61 training points (logged twice as often) against 31 validation points.
    @Test func differentLengths() {
        let train: [Float] = (0..<61).map { (i: Int) -> Float in Float(0.3 + 0.7 * exp(-Double(i) / 16)) }
        let d = diagnose(train: train, validation: Self.parabola(count: 31, minimumAt: 10, curvature: 0.002))
        #expect(d.kind == .overfit, "\(d)")
    }
}
