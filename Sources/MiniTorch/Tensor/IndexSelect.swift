/// Picking entries along one axis by index, as `torch.index_select(x, dim, indices)`: an
/// embedding lookup is `weight.indexSelect(axis: 0, indices: tokenIDs)`.
extension Tensor {
    /// The entries of `axis` at `indices` (repeats allowed), in that order:
    /// [..., n, ...] -> [..., indices.count, ...]. The backward adds each gradient block back to
    /// the row it came from, so a repeated index (a token seen twice) collects both.
    public func indexSelect(axis: Int, indices: [Int]) -> Tensor {
        let ax = normalizeAxis(axis, op: "indexSelect")
        let (outer, size, inner) = split(at: ax)
        for i in indices where i < 0 || i >= size {
            fail("indexSelect: index \(i) is out of range for axis \(axis) of size \(size) in \(show(shape))")
        }
        var outShape = shape
        outShape[ax] = indices.count                    // [..., size, ...] -> [..., indices.count, ...]
        let out = Tensor(uninitializedShape: outShape)
        let p = pointer, o = out.pointer, n = indices.count
        for i in 0..<outer {
            for (k, index) in indices.enumerated() {
                (o + (i * n + k) * inner).update(from: p + (i * size + index) * inner, count: inner)
            }
        }
        let s = shape
        out.recordBackward("indexSelect", from: [self]) { g in
            let dx = Tensor.zeros(s)
            let d = dx.pointer, gp = g.pointer
            for i in 0..<outer {
                for (k, index) in indices.enumerated() {
                    let dst = d + (i * size + index) * inner, src = gp + (i * n + k) * inner
                    for j in 0..<inner { dst[j] += src[j] }
                }
            }
            return [dx]
        }
        return out
    }
}
