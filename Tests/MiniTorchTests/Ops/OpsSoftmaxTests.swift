import Foundation
import Testing
@testable import MiniTorch

@Suite("Ops: softmax and log-softmax")
struct OpsSoftmaxTests {
    let g = Generator(seed: 12)

    @Test func rowsSumToOneOnEveryAxis() {
        let x = Tensor.randn([2, 3, 4], generator: g)
        for axis in [0, 1, 2, -1] {
            let y = x.softmax(axis: axis)
            let sums = y.sum(axis: axis).scalars
            #expect(sums.allSatisfy { abs($0 - 1) < 1e-6 }, "axis \(axis): \(sums)")
            #expect(y.scalars.allSatisfy { $0 > 0 })
        }
    }

    @Test func stableForLargeInputs() {
        let x = Tensor(rows: [[1000, 1000, 999], [-1000, 0, 1000]])
        let y = x.softmax()
        let e = Float(M_E)
        #expect(opsClose(y.scalars, [e / (2 * e + 1), e / (2 * e + 1), 1 / (2 * e + 1), 0, 0, 1], 1e-6))
        let l = x.logSoftmax()
        #expect(l.scalars.allSatisfy { $0.isFinite })
        #expect(abs(l[1, 0] - -2000) < 1e-3)
        #expect(abs(l[1, 2]) < 1e-6)
    }

    @Test func logSoftmaxIsLogOfSoftmax() {
        let x = Tensor.randn([3, 5, 2], generator: g)
        for axis in [0, 1, 2] {
            #expect(opsClose(x.logSoftmax(axis: axis).scalars, x.softmax(axis: axis).log().scalars, 1e-5))
        }
    }

    @Test func gradients() {
        let x = Tensor.randn([2, 3, 4], generator: g, requiresGrad: true)
        for axis in [0, 1, 2] {
            #expect(gradCheck([x]) { $0[0].softmax(axis: axis) }.passed, "softmax axis \(axis)")
            #expect(gradCheck([x]) { $0[0].logSoftmax(axis: axis) }.passed, "logSoftmax axis \(axis)")
        }
    }

    /// Softmax over [64, 1000] against a naive Double computation (no max subtraction needed in
    /// Double for inputs of this size).
    @Test func matchesNaiveDoubleSoftmax() {
        let x = Tensor.normal([64, 1000], std: 3, generator: g)
        let y = x.softmax(axis: 1)
        var worst = 0.0
        for r in 0..<64 {
            let row = (0..<1000).map { Double(x[r, $0]) }
            let exps = row.map { Foundation.exp($0) }
            let total = exps.reduce(0, +)
            for c in 0..<1000 { worst = max(worst, abs(Double(y[r, c]) - exps[c] / total)) }
        }
        #expect(worst <= 1e-6, "max error \(worst)")
    }
}
