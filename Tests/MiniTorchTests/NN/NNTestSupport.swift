@testable import MiniTorch

/// |a - b| <= tol * max(1, |b|): a relative tolerance that becomes absolute near zero.
func nnClose(_ a: Float, _ b: Double, _ tol: Double = 1e-5) -> Bool {
    abs(Double(a) - b) <= tol * max(1, abs(b))
}

func nnClose(_ a: [Float], _ b: [Double], _ tol: Double = 1e-5) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { nnClose($0, $1, tol) }
}
