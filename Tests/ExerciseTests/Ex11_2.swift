import Foundation
import Testing
import MiniTorch
import Monitoring

/// ex11_2: the update-to-weight ratio (Lessons/11-monitoring/UpdateRatio.swift,
/// `updateToWeightRatio`), as CS231n's notes compute it: ||W_after - W_before|| / ||W_before||,
/// both norms over every element of every parameter of the group (`np.linalg.norm(W.ravel())`),
/// the old weights' norm below. Reference values: NumPy.
@Suite("ex11_2: the update-to-weight ratio")
struct Ex11_2 {
    @Test func oneMatrix() {
        let after = Tensor([3.03, 4.04], shape: [1, 2])
        let r = updateToWeightRatio(before: [[3, 4]], after: [after])
        #expect(abs(r - 0.01) < 1e-6, "ratio \(r): the update (0.03, 0.04) has norm 0.05, the weights (3, 4) norm 5")
    }

    /// The norms run over the whole group, not parameter by parameter: NumPy gives
    /// norm([0.1, 0, 0, -0.2, 0.05]) / norm([1, 2, -2, 4, 0.5]) = 0.229128784747792 / 5.024937810560445.
    @Test func aGroupOfParameters() {
        let weight = Tensor([1.1, 2, -2, 3.8], shape: [2, 2]), bias = Tensor([0.55], shape: [1])
        let r = updateToWeightRatio(before: [[1, 2, -2, 4], [0.5]], after: [weight, bias])
        #expect(abs(r - 0.045598332434334476) < 1e-6, "ratio \(r), expected 0.045598")
    }

    @Test func noUpdateIsZero() {
        let w = Tensor([0.5, -1.5, 2], shape: [3])
        #expect(updateToWeightRatio(before: [[0.5, -1.5, 2]], after: [w]) == 0)
    }

    /// The denominator is the weights before the step: a step that zeroes the weights has ratio 1.
    @Test func theOldWeightsAreTheScale() {
        let zeroed = Tensor([0, 0], shape: [2])
        let r = updateToWeightRatio(before: [[6, 8]], after: [zeroed])
        #expect(abs(r - 1) < 1e-9, "ratio \(r): ||0 - W|| / ||W|| = 1")
    }
}
