import Foundation

/// Powers: x^p for a constant p, and the common cases square and sqrt written out.
extension Tensor {
    /// x^p element-wise, as `torch.pow(x, p)`. d/dx x^p = p x^(p-1).
    public func pow(_ p: Float) -> Tensor {
        if p == 2 { return square() }
        let out = map { Foundation.pow($0, p) }
        let x = detach()
        out.recordBackward("pow", from: [self]) { g in
            [g.zipBroadcast(x, op: "pow backward") { g, x in g * p * Foundation.pow(x, p - 1) }]
        }
        return out
    }

    /// x^y element-wise with broadcasting, as `torch.pow(x, y)` for two tensors.
    /// d/dx = y x^(y-1); d/dy = x^y log x (defined for x > 0).
    public func pow(_ exponent: Tensor) -> Tensor {
        let out = zipBroadcast(exponent, op: "pow") { Foundation.pow($0, $1) }
        let (x, e, y) = (detach(), exponent.detach(), out.detach())
        let (needX, needE) = (requiresGrad, exponent.requiresGrad)
        out.recordBackward("pow", from: [self, exponent]) { g in
            [needX ? (g * e * x.zipBroadcast(e, op: "pow backward") { Foundation.pow($0, $1 - 1) }).sumTo(x.shape) : nil,
             needE ? (g * y * x.log()).sumTo(e.shape) : nil]
        }
        return out
    }

    /// x * x, as `torch.square`.
    public func square() -> Tensor {
        let out = map { $0 * $0 }
        let x = detach()
        out.recordBackward("square", from: [self]) { g in
            [g.zipBroadcast(x, op: "square backward") { g, x in 2 * x * g }]
        }
        return out
    }

    /// Element-wise square root, as `torch.sqrt`. d sqrt(x) / dx = 1 / (2 sqrt x), from the output.
    public func sqrt() -> Tensor {
        let out = map { Foundation.sqrt($0) }
        let y = out.detach()
        out.recordBackward("sqrt", from: [self]) { g in
            [g.zipBroadcast(y, op: "sqrt backward") { g, y in 0.5 * g / y }]
        }
        return out
    }
}
