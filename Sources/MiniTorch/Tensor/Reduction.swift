/// Reductions over one axis (or all), with `keepDims` as PyTorch's `keepdim`.
extension Tensor {
    /// Splits `shape` around `axis` into (outer, size, inner) so a reduction is three loops.
    func split(at axis: Int) -> (outer: Int, size: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    func reducedShape(_ axis: Int, keepDims: Bool) -> [Int] {
        var s = shape
        if keepDims { s[axis] = 1 } else { s.remove(at: axis) }
        return s
    }

    /// Sum of all elements (a 0-d tensor), as `x.sum()`.
    public func sum() -> Tensor {
        var total: Float = 0
        let p = pointer
        for i in 0..<count { total += p[i] }
        let out = Tensor(scalar: total)
        let s = shape
        out.recordBackward("sum", from: [self]) { g in [Tensor.full(s, g.item())] }
        return out
    }

    /// Sum along `axis`, as `x.sum(dim=axis, keepdim=keepDims)`.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = normalizeAxis(axis, op: "sum")
        let (outer, size, inner) = split(at: ax)
        let out = Tensor.zeros(reducedShape(ax, keepDims: keepDims))
        let o = out.pointer, p = pointer
        if inner == 1 {
            // The last axis: each output is the sum of one contiguous row (same order of additions).
            for i in 0..<outer {
                let row = p + i * size
                var total: Float = 0
                for k in 0..<size { total += row[k] }
                o[i] = total
            }
        } else {
            for i in 0..<outer {
                for k in 0..<size {
                    let row = p + (i * size + k) * inner
                    let dst = o + i * inner
                    for j in 0..<inner { dst[j] += row[j] }
                }
            }
        }
        let (s, kept) = (shape, reducedShape(ax, keepDims: true))
        out.recordBackward("sum", from: [self]) { g in   // every input element got weight 1
            [g.reshape(kept).expand(s)]
        }
        return out
    }

    /// Mean of all elements, as `x.mean()`.
    public func mean() -> Tensor { sum() / Float(Swift.max(count, 1)) }

    /// Mean along `axis`.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor {
        sum(axis: axis, keepDims: keepDims) / Float(size(axis))
    }

    /// Variance along `axis`; `unbiased` divides by n-1 as `torch.var`'s default, else by n.
    public func variance(axis: Int, keepDims: Bool = false, unbiased: Bool = true) -> Tensor {
        let centered = self - mean(axis: axis, keepDims: true)
        let n = Float(size(axis) - (unbiased ? 1 : 0))
        return (centered * centered).sum(axis: axis, keepDims: keepDims) / n
    }

    /// Maximum along `axis`; the gradient goes to the (first) position of the maximum.
    public func max(axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = normalizeAxis(axis, op: "max")
        let (outer, size, inner) = split(at: ax)
        if size == 0 { fail("max: axis \(axis) of shape \(show(shape)) is empty") }
        let out = Tensor(uninitializedShape: reducedShape(ax, keepDims: keepDims))
        var argmax = [Int](repeating: 0, count: outer * inner)
        let o = out.pointer, p = pointer
        for i in 0..<outer {
            for j in 0..<inner {
                var best = p[i * size * inner + j], arg = 0
                for k in 1..<Swift.max(size, 1) where p[(i * size + k) * inner + j] > best {
                    best = p[(i * size + k) * inner + j]; arg = k
                }
                o[i * inner + j] = best
                argmax[i * inner + j] = arg
            }
        }
        let s = shape
        out.recordBackward("max", from: [self]) { g in
            let dx = Tensor.zeros(s)
            for i in 0..<outer {
                for j in 0..<inner { dx.pointer[(i * size + argmax[i * inner + j]) * inner + j] = g.pointer[i * inner + j] }
            }
            return [dx]
        }
        return out
    }

    /// Maximum of all elements.
    public func max() -> Tensor { reshape([count]).max(axis: 0) }

    /// Index of the largest value along `axis` (first one on ties), as `x.argmax(dim=axis)`.
    public func argmax(axis: Int = -1) -> [Int] {
        let ax = normalizeAxis(axis, op: "argmax")
        let (outer, size, inner) = split(at: ax)
        var result = [Int](repeating: 0, count: outer * inner)
        let p = pointer
        for i in 0..<outer {
            for j in 0..<inner {
                var best = -Float.infinity, arg = 0
                for k in 0..<size where p[(i * size + k) * inner + j] > best {
                    best = p[(i * size + k) * inner + j]; arg = k
                }
                result[i * inner + j] = arg
            }
        }
        return result
    }

    /// Repeats size-1 dimensions to `target` (a broadcast made real), as `x.expand(target)`.
    public func expand(_ target: [Int]) -> Tensor {
        if target == shape { return self }
        let out = Tensor.zeros(target) + self
        return out
    }
}
