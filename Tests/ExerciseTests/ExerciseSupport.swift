import MiniTorch

/// True when every pair of values differs by at most `tolerance` (and neither is NaN).
func exerciseClose(_ a: [Float], _ b: [Float], _ tolerance: Float = 1e-6) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
}

/// The gradient of `sum(f(x) * w)` with respect to x, for fixed weights w: a backward pass
/// that sends a different upstream gradient to every element.
func exerciseGradient(_ values: [Float], shape: [Int], weights: [Float], _ f: (Tensor) -> Tensor) -> [Float] {
    let x = Tensor(values, shape: shape, requiresGrad: true)
    (f(x) * Tensor(weights, shape: shape)).sum().backward()
    return x.grad?.scalars ?? []
}
