/// Axis reordering. Storage stays contiguous, so these copy; the backward applies the
/// inverse permutation to the gradient.
extension Tensor {
    /// Reorders axes, as `x.permute(dims)`: output axis i is input axis `dims[i]`.
    public func permute(_ dims: [Int]) -> Tensor {
        let dims = dims.map { normalizeAxis($0, op: "permute") }
        if dims.count != rank || Set(dims).count != rank {
            fail("permute: \(dims) is not a permutation of the \(rank) axes of \(show(shape))")
        }
        if dims == Array(0..<rank) { return self }
        let outShape = dims.map { shape[$0] }
        let inStrides = Tensor.strides(of: shape)
        let out = Tensor(uninitializedShape: outShape)
        let o = out.pointer, p = pointer
        // Read the input with permuted strides, write the output in order.
        Tensor.forEachBroadcast(outShape, dims.map { inStrides[$0] }, Tensor.strides(of: outShape)) { start, offIn, _, n, stride, _ in
            for j in 0..<n { o[start + j] = p[offIn + j * stride] }
        }
        var inverse = [Int](repeating: 0, count: rank)
        for (i, d) in dims.enumerated() { inverse[d] = i }
        out.recordBackward("permute", from: [self]) { g in [g.permute(inverse)] }
        return out
    }

    /// Swaps two axes, as `x.transpose(a, b)`.
    public func transpose(_ a: Int, _ b: Int) -> Tensor {
        var dims = Array(0..<rank)
        dims.swapAt(normalizeAxis(a, op: "transpose"), normalizeAxis(b, op: "transpose"))
        return permute(dims)
    }
}
