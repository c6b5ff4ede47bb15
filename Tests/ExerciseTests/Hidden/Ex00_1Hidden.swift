import Testing
import MiniTorch

/// ex00_1, hidden: the shift must be the maximum along the softmax axis, also when that axis
/// is not the last one (elements `inner` apart), and not a constant that happens to work.
@Suite("ex00_1 (hidden): the stable softmax along the first axis")
struct Ex00_1Hidden {
    @Test func largeLogitsAlongTheFirstAxis() {
        // [3, 2], softmax down each column: columns [90, 89, 88] and [-200, -201, 500].
        let x = Tensor([90, -200, 89, -201, 88, 500], shape: [3, 2])
        let y = x.softmax(axis: 0)
        let expected: [Float] = [0.66524096, 0, 0.24472847, 0, 0.09003057, 1]
        #expect(y.scalars.allSatisfy { $0.isFinite }, "softmax(axis: 0) = \(y.scalars)")
        #expect(zip(y.scalars, expected).allSatisfy { abs($0 - $1) <= 1e-6 }, "softmax(axis: 0) = \(y.scalars)")
    }
}
