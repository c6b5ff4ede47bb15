/// Overwriting masked positions with a constant, as `x.masked_fill(mask, value)`: the causal
/// attention mask sets future positions to -inf before the softmax.
extension Tensor {
    /// A copy with `value` wherever `mask` is nonzero. `mask` broadcasts to this tensor's shape
    /// (a [T, T] causal mask serves scores of shape [B, nh, T, T]). Filled positions are
    /// constants, so their gradient is 0; elsewhere the gradient passes unchanged.
    public func maskedFill(mask: Tensor, value: Float) -> Tensor {
        if Tensor.broadcastShape(shape, mask.shape, op: "maskedFill") != shape {
            fail("maskedFill: mask of shape \(show(mask.shape)) does not broadcast to the tensor's shape \(show(shape))")
        }
        let out = Tensor(uninitializedShape: shape)
        let o = out.pointer, p = pointer, m = mask.pointer
        let maskStrides = Tensor.broadcastStrides(mask.shape, to: shape)
        Tensor.forEachBroadcast(shape, maskStrides, maskStrides) { start, offM, _, n, im, _ in
            for j in 0..<n { o[start + j] = m[offM + j * im] != 0 ? value : p[start + j] }
        }
        let (keep, s) = (mask.detach(), shape)
        out.recordBackward("maskedFill", from: [self]) { g in
            let dx = Tensor(uninitializedShape: s)
            let d = dx.pointer, gp = g.pointer, m = keep.pointer
            Tensor.forEachBroadcast(s, maskStrides, maskStrides) { start, offM, _, n, im, _ in
                for j in 0..<n { d[start + j] = m[offM + j * im] != 0 ? 0 : gp[start + j] }
            }
            return [dx]
        }
        return out
    }
}
