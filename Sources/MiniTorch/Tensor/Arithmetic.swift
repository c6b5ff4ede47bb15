/// + - * / with broadcasting. Each backward sums the gradient back to its input's shape,
/// because a broadcast input was used many times.
extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let out = zip(a, b, op: "add", +)
        let (sa, sb) = (a.shape, b.shape)
        out.recordBackward("add", from: [a, b]) { g in [g.sumTo(sa), g.sumTo(sb)] }
        return out
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let out = zip(a, b, op: "sub", -)
        let (sa, sb) = (a.shape, b.shape)
        out.recordBackward("sub", from: [a, b]) { g in [g.sumTo(sa), (-g).sumTo(sb)] }
        return out
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let out = zip(a, b, op: "mul", *)
        let (x, y) = (a.detach(), b.detach())
        out.recordBackward("mul", from: [a, b]) { g in   // d(xy)/dx = y, d(xy)/dy = x
            [a.requiresGrad ? (g * y).sumTo(x.shape) : nil, b.requiresGrad ? (g * x).sumTo(y.shape) : nil]
        }
        return out
    }

    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let out = zip(a, b, op: "div", /)
        let (x, y) = (a.detach(), b.detach())
        out.recordBackward("div", from: [a, b]) { g in   // d(x/y)/dx = 1/y, d(x/y)/dy = -x/y^2
            [a.requiresGrad ? (g / y).sumTo(x.shape) : nil,
             b.requiresGrad ? (-(g * x) / (y * y)).sumTo(y.shape) : nil]
        }
        return out
    }

    public static prefix func - (a: Tensor) -> Tensor {
        let out = a.map { -$0 }
        out.recordBackward("neg", from: [a]) { g in [-g] }
        return out
    }

    // Scalars on either side, as in PyTorch: `2 * x`, `x - 1`, `loss / Float(steps)`.
    public static func + (a: Tensor, s: Float) -> Tensor { a + Tensor(scalar: s) }
    public static func + (s: Float, a: Tensor) -> Tensor { Tensor(scalar: s) + a }
    public static func - (a: Tensor, s: Float) -> Tensor { a - Tensor(scalar: s) }
    public static func - (s: Float, a: Tensor) -> Tensor { Tensor(scalar: s) - a }
    public static func * (a: Tensor, s: Float) -> Tensor { a * Tensor(scalar: s) }
    public static func * (s: Float, a: Tensor) -> Tensor { Tensor(scalar: s) * a }
    public static func / (a: Tensor, s: Float) -> Tensor { a / Tensor(scalar: s) }
    public static func / (s: Float, a: Tensor) -> Tensor { Tensor(scalar: s) / a }

    /// A new tensor of the same shape with `f` applied to every element (no graph).
    @inline(__always)
    public func map(_ f: (Float) -> Float) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let o = out.pointer, p = pointer
        for i in 0..<count { o[i] = f(p[i]) }
        return out
    }
}

/// `zipBroadcast` with same-shape operands, or a tensor and a scalar, done here: the debug build
/// (-O, file by file) cannot inline `f` into a loop in another file and would call it once per
/// element, and the residual additions of a transformer are all same-shape, LoRA's `* scaling`
/// a scalar. The same numbers either way. (One thread: waking a second for a loop this cheap
/// costs more than it saves at these sizes, measured on lesson 14's LoRA step.)
@inline(__always)
private func zip(_ a: Tensor, _ b: Tensor, op: String, _ f: (Float, Float) -> Float) -> Tensor {
    if a.shape == b.shape {
        let out = Tensor(uninitializedShape: a.shape)
        let (x, y, o) = (a.pointer, b.pointer, out.pointer)
        for i in 0..<a.count { o[i] = f(x[i], y[i]) }
        return out
    }
    if b.count == 1 && b.rank <= a.rank {   // [..] op scalar: the output has a's shape
        let out = Tensor(uninitializedShape: a.shape)
        let (x, s, o) = (a.pointer, b.pointer[0], out.pointer)
        for i in 0..<a.count { o[i] = f(x[i], s) }
        return out
    }
    if a.count == 1 && a.rank <= b.rank {   // scalar op [..]
        let out = Tensor(uninitializedShape: b.shape)
        let (s, y, o) = (a.pointer[0], b.pointer, out.pointer)
        for i in 0..<b.count { o[i] = f(s, y[i]) }
        return out
    }
    return a.zipBroadcast(b, op: op, f)
}
