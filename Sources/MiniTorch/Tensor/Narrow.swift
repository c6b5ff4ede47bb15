/// Taking a contiguous piece along one axis, as `x.narrow(dim, start, length)` or `x[:, 2:5]`.
///
/// Storage is always contiguous here, so the piece is a copy: for each of the `outer` leading
/// index combinations, one block of length * inner elements. The backward writes the gradient
/// back into those same blocks of a zero tensor of the input's shape.
extension Tensor {
    /// `length` entries of `axis` from `start` (negative counts from the end), as `torch.narrow`.
    public func narrow(axis: Int, start: Int, length: Int) -> Tensor {
        let ax = normalizeAxis(axis, op: "narrow")
        let size = shape[ax]
        let first = start < 0 ? start + size : start
        if first < 0 || length < 0 || first + length > size {
            fail("narrow: start \(start), length \(length) is out of range for axis \(axis) of size \(size) in \(show(shape))")
        }
        if first == 0 && length == size { return self }
        let (outer, _, inner) = split(at: ax)
        var outShape = shape
        outShape[ax] = length                           // [..., size, ...] -> [..., length, ...]
        let out = Tensor(uninitializedShape: outShape)
        let block = length * inner
        let p = pointer, o = out.pointer
        for i in 0..<outer {
            (o + i * block).update(from: p + (i * size + first) * inner, count: block)
        }
        let s = shape
        out.recordBackward("narrow", from: [self]) { g in
            let dx = Tensor.zeros(s)
            let d = dx.pointer, gp = g.pointer
            for i in 0..<outer {
                (d + (i * size + first) * inner).update(from: gp + i * block, count: block)
            }
            return [dx]
        }
        return out
    }

    /// The entries of `axis` in `range`, as Python's `x[:, 2:5]` is `x.slice(axis: 1, 2..<5)`.
    /// Any integer range works: `2..<5`, `2...4`, `2...`, `..<3`.
    public func slice<R: RangeExpression>(axis: Int, _ range: R) -> Tensor where R.Bound == Int {
        let ax = normalizeAxis(axis, op: "slice")
        let r = range.relative(to: 0..<shape[ax])
        if r.lowerBound < 0 || r.upperBound > shape[ax] {
            fail("slice: range \(r.lowerBound)..<\(r.upperBound) is out of range for axis \(axis) of size \(shape[ax]) in \(show(shape))")
        }
        return narrow(axis: ax, start: r.lowerBound, length: r.count)
    }
}
