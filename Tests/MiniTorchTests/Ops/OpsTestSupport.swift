@testable import MiniTorch

/// Inputs for gradient checks of ops with kinks (relu, abs, clamp, max): distinct values that
/// stay at least 0.05 away from 0 and from multiples of 0.1, so a finite-difference step of
/// 0.01 never crosses a kink.
func opsSpreadInput(_ shape: [Int], seed: UInt64) -> Tensor {
    let n = shape.reduce(1, *)
    let values = Generator(seed: seed).permutation(n).map { Float($0 - n / 2) * 0.1 + 0.05 }
    return Tensor(values, shape: shape, requiresGrad: true)
}

/// True when every pair of values differs by at most `tolerance`.
func opsClose(_ a: [Float], _ b: [Float], _ tolerance: Float = 1e-6) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
}
