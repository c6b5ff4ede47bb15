import Foundation

/// Element-wise functions of one tensor (or two, with broadcasting): exp, log, powers, abs,
/// clamp, maximum/minimum and comparisons. Each backward sits right under its forward.

extension Tensor {
    /// Element-wise e^x, as `torch.exp`. Its derivative is itself, so backward reuses the output.
    public func exp() -> Tensor {
        let out = map { Foundation.exp($0) }
        let y = out.detach()
        out.recordBackward("exp", from: [self]) { g in [g * y] }   // dL/dx = dL/dy * e^x
        return out
    }
}

extension Tensor {
    /// Element-wise natural logarithm, as `torch.log` (log 0 = -inf, negative -> nan, as PyTorch).
    public func log() -> Tensor {
        let out = map { Foundation.log($0) }
        let x = detach()
        out.recordBackward("log", from: [self]) { g in [g / x] }   // d log x / dx = 1 / x
        return out
    }
}

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

extension Tensor {
    /// |x| element-wise, as `torch.abs`. The gradient is sign(x), taken as 0 at x = 0 (PyTorch's
    /// `sgn`).
    public func abs() -> Tensor {
        let out = map { Swift.abs($0) }
        let x = detach()
        out.recordBackward("abs", from: [self]) { g in
            [g.zipBroadcast(x, op: "abs backward") { g, x in x > 0 ? g : (x < 0 ? -g : 0) }]
        }
        return out
    }
}

/// Limiting values: clamp to a range, and the element-wise maximum / minimum of two tensors.
extension Tensor {
    /// Each element limited to [min, max] (either bound optional), as `torch.clamp(x, min, max)`.
    /// The gradient passes where min <= x <= max and is 0 where the bound took over (PyTorch).
    public func clamp(min low: Float? = nil, max high: Float? = nil) -> Tensor {
        if let low, let high, low > high { fail("clamp: min \(low) is greater than max \(high)") }
        let lo = low ?? -Float.infinity, hi = high ?? Float.infinity
        let out = map { Swift.min(Swift.max($0, lo), hi) }
        let x = detach()
        out.recordBackward("clamp", from: [self]) { g in
            [g.zipBroadcast(x, op: "clamp backward") { g, x in x >= lo && x <= hi ? g : 0 }]
        }
        return out
    }

    /// The larger of each pair of elements, with broadcasting, as `torch.maximum`.
    /// On ties the gradient is split evenly, as PyTorch does.
    public func maximum(_ other: Tensor) -> Tensor { pick(other, name: "maximum", larger: true) }

    /// The smaller of each pair of elements, with broadcasting, as `torch.minimum`.
    public func minimum(_ other: Tensor) -> Tensor { pick(other, name: "minimum", larger: false) }

    private func pick(_ other: Tensor, name: String, larger: Bool) -> Tensor {
        let out = zipBroadcast(other, op: name) { a, b in larger ? Swift.max(a, b) : Swift.min(a, b) }
        let (a, b) = (detach(), other.detach())
        let (needA, needB) = (requiresGrad, other.requiresGrad)
        out.recordBackward(name, from: [self, other]) { g in
            // Weight of `a` in the result: 1 where a wins, 0.5 on a tie, 0 where b wins.
            let wa = a.zipBroadcast(b, op: name) { a, b in a == b ? 0.5 : ((a > b) == larger ? 1 : 0) }
            return [needA ? (g * wa).sumTo(a.shape) : nil,
                    needB ? (g * (1 - wa)).sumTo(b.shape) : nil]
        }
        return out
    }
}

/// Element-wise comparisons giving 1 where true and 0 where false, as PyTorch's `eq`, `gt`, ...
/// (which return bool tensors; here Float 0/1, ready to use as a mask or to multiply with).
/// They are steps, flat almost everywhere, so they record no gradient.
extension Tensor {
    public func eq(_ other: Tensor) -> Tensor { zipBroadcast(other, op: "eq") { $0 == $1 ? 1 : 0 } }
    public func gt(_ other: Tensor) -> Tensor { zipBroadcast(other, op: "gt") { $0 > $1 ? 1 : 0 } }
    public func lt(_ other: Tensor) -> Tensor { zipBroadcast(other, op: "lt") { $0 < $1 ? 1 : 0 } }
    public func ge(_ other: Tensor) -> Tensor { zipBroadcast(other, op: "ge") { $0 >= $1 ? 1 : 0 } }
    public func le(_ other: Tensor) -> Tensor { zipBroadcast(other, op: "le") { $0 <= $1 ? 1 : 0 } }

    public func eq(_ s: Float) -> Tensor { map { $0 == s ? 1 : 0 } }
    public func gt(_ s: Float) -> Tensor { map { $0 > s ? 1 : 0 } }
    public func lt(_ s: Float) -> Tensor { map { $0 < s ? 1 : 0 } }
    public func ge(_ s: Float) -> Tensor { map { $0 >= s ? 1 : 0 } }
    public func le(_ s: Float) -> Tensor { map { $0 <= s ? 1 : 0 } }
}
