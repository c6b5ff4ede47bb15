import Foundation
import Testing
import MiniTorch

/// ex00_1: the numerically stable softmax and log-softmax (Sources/MiniTorch/Tensor/Softmax.swift).
/// Large logits overflow e^x in Float32 (e^89 is inf) unless the row maximum is subtracted first.
@Suite("ex00_1: the numerically stable softmax")
struct Ex00_1 {
    /// PyTorch: torch.softmax(torch.tensor([1000., 1001., 1002.]), dim=0).
    @Test func largeLogitsGiveFiniteProbabilities() {
        let y = Tensor([1000, 1001, 1002], shape: [3]).softmax()
        #expect(exerciseClose(y.scalars, [0.09003057, 0.24472847, 0.66524096]), "softmax([1000, 1001, 1002]) = \(y.scalars)")
    }

    @Test func veryNegativeLogitsGiveFiniteProbabilities() {
        let y = Tensor([-1000, -1000, -999], shape: [1, 3]).softmax()
        #expect(exerciseClose(y.scalars, [0.21194156, 0.21194156, 0.57611688]), "softmax([-1000, -1000, -999]) = \(y.scalars)")
    }

    /// PyTorch: torch.log_softmax(torch.tensor([1000., 1001., 1002.]), dim=0).
    @Test func logSoftmaxOfLargeLogitsIsFinite() {
        let y = Tensor([1000, 1001, 1002], shape: [3]).logSoftmax()
        // Float32 near 1000 has a spacing of 6e-5, hence the tolerance.
        #expect(exerciseClose(y.scalars, [-2.4076059, -1.4076059, -0.40760595], 1e-4), "logSoftmax([1000, 1001, 1002]) = \(y.scalars)")
    }

    @Test func smallLogitsMatchTheDefinition() {
        let x: [Float] = [0.5, -1, 2, 0, 1, 3]
        let y = Tensor(x, shape: [2, 3]).softmax(axis: 1)
        var expected: [Float] = []
        for row in 0..<2 {
            let e = x[(row * 3)..<(row * 3 + 3)].map { Float(Foundation.exp(Double($0))) }
            let total = e.reduce(0, +)
            expected += e.map { $0 / total }
        }
        #expect(exerciseClose(y.scalars, expected, 1e-6), "softmax rows = \(y.scalars), expected \(expected)")
    }
}
