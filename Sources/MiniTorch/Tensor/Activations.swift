import Foundation

/// The non-linearities between linear layers: relu, sigmoid, tanh and GELU.
///
/// Each backward reads the saved input or output through a detached view and computes the local
/// derivative element by element, so the chain rule is one multiplication per element.
extension Tensor {
    /// max(0, x), as `torch.relu`. The gradient passes where the output is positive (0 at x = 0,
    /// as PyTorch's `threshold_backward`).
    public func relu() -> Tensor {
        let out = map { $0 > 0 ? $0 : 0 }
        let y = out.detach()
        out.recordBackward("relu", from: [self]) { g in
            [g.zipBroadcast(y, op: "relu backward") { g, y in y > 0 ? g : 0 }]
        }
        return out
    }

    /// 1 / (1 + e^-x), as `torch.sigmoid`. dy/dx = y (1 - y), so backward needs only the output.
    public func sigmoid() -> Tensor {
        let out = map { 1 / (1 + Foundation.exp(-$0)) }
        let y = out.detach()
        out.recordBackward("sigmoid", from: [self]) { g in
            // BEGIN SOLUTION ex00_2
            [g.zipBroadcast(y, op: "sigmoid backward") { g, y in g * y * (1 - y) }]
            // END SOLUTION
        }
        return out
    }

    /// Hyperbolic tangent, as `torch.tanh`. dy/dx = 1 - y^2.
    public func tanh() -> Tensor {
        let out = map { Foundation.tanh($0) }
        let y = out.detach()
        out.recordBackward("tanh", from: [self]) { g in
            [g.zipBroadcast(y, op: "tanh backward") { g, y in g * (1 - y * y) }]
        }
        return out
    }

    /// Which GELU formula to use, as the `approximate` argument of `F.gelu` ('none' | 'tanh').
    public enum GELUApproximation: Sendable {
        /// The exact x Phi(x), with Phi written through erf (BERT, RoBERTa).
        case none
        /// The tanh fit (GPT-2's "gelu_new").
        case tanh
    }

    /// Gaussian Error Linear Unit, as PyTorch `torch.nn.functional.gelu(x, approximate=...)`:
    /// - 'none': GELU(x) = x Phi(x) = 0.5 x (1 + erf(x / sqrt 2))
    /// - 'tanh': GELU(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    public func gelu(approximate: GELUApproximation = .none) -> Tensor {
        let x = detach()
        switch approximate {
        case .none:
            // erf is the costly part (a sixth of a tiny RoBERTa step): compute Phi(x) once and
            // keep it for the backward. x * (0.5 (1 + erf)) equals 0.5 x (1 + erf) bit for bit,
            // since multiplying by 0.5 is exact.
            // Element-wise, so the loops split between threads with no effect on the numbers.
            let cdf = Tensor(uninitializedShape: shape), out = Tensor(uninitializedShape: shape)
            let xp = pointer, cp = cdf.pointer, op = out.pointer
            Parallel.forChunks(count) { chunk in
                for i in chunk {
                    let phi = 0.5 * (1 + Foundation.erf(xp[i] * geluInvSqrt2))
                    cp[i] = phi
                    op[i] = xp[i] * phi
                }
            }
            out.recordBackward("gelu", from: [self]) { g in
                // d/dx x Phi(x) = Phi(x) + x phi(x), phi the standard normal density.
                let d = Tensor(uninitializedShape: x.shape)
                let dp = d.pointer, gp = g.pointer, xp = x.pointer, cp = cdf.pointer
                Parallel.forChunks(d.count) { chunk in
                    for i in chunk {
                        let pdf = Foundation.exp(-0.5 * xp[i] * xp[i]) * geluInvSqrt2Pi
                        dp[i] = gp[i] * (cp[i] + xp[i] * pdf)
                    }
                }
                return [d]
            }
            return out
        case .tanh:
            // BEGIN SOLUTION ex00_3
            let out = map { x in 0.5 * x * (1 + Foundation.tanh(geluSqrt2OverPi * (x + 0.044715 * x * x * x))) }
            out.recordBackward("gelu", from: [self]) { g in
                // With t = tanh(u), u = sqrt(2/pi)(x + 0.044715 x^3):
                // d/dx = 0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2)
                [g.zipBroadcast(x, op: "gelu backward") { g, x in
                    let t = Foundation.tanh(geluSqrt2OverPi * (x + 0.044715 * x * x * x))
                    let du = geluSqrt2OverPi * (1 + 3 * 0.044715 * x * x)
                    return g * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du)
                }]
            }
            return out
            // END SOLUTION
        }
    }
}

private let geluInvSqrt2: Float = 0.70710678118654752       // 1 / sqrt(2)
private let geluInvSqrt2Pi: Float = 0.39894228040143268     // 1 / sqrt(2 pi)
private let geluSqrt2OverPi: Float = 0.79788456080286536    // sqrt(2 / pi)
