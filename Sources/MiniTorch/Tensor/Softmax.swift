import Foundation

/// Softmax and log-softmax along one axis, each a single fused op.
///
/// Both subtract the maximum first: e^(x - m) / sum e^(x - m) is the same number as
/// e^x / sum e^x, but never overflows (e^1000 is inf in Float32; e^0 is 1). They are hot in a
/// transformer (attention weights, the loss), so forward and backward are plain loops over
/// (outer, size, inner) with no intermediate tensors; when the axis is the last one, inner = 1
/// and every row is contiguous. Row sums accumulate in Double: adding a thousand Float terms
/// one by one would lose about 1e-6 of the result.
extension Tensor {
    /// e^x_i / sum_j e^x_j along `axis`, as `torch.softmax(x, dim=axis)`.
    public func softmax(axis: Int = -1) -> Tensor {
        let ax = normalizeAxis(axis, op: "softmax")
        let (outer, size, inner) = split(at: ax)
        let out = Tensor(uninitializedShape: shape)
        let p = pointer, o = out.pointer
        for i in 0..<outer {
            for j in 0..<inner {
                let x = p + i * size * inner + j, y = o + i * size * inner + j
                // The shift m: the largest x along the axis (element k is at x[k * inner]).
                var m = -Float.infinity
                // BEGIN SOLUTION ex00_1
                for k in 0..<size { m = Swift.max(m, x[k * inner]) }
                // END SOLUTION
                var total: Double = 0
                for k in 0..<size {
                    let e = Foundation.exp(x[k * inner] - m)
                    y[k * inner] = e
                    total += Double(e)
                }
                let scale = Float(1 / total)
                for k in 0..<size { y[k * inner] *= scale }
            }
        }
        let y = out.detach()
        out.recordBackward("softmax", from: [self]) { g in
            // dx_k = y_k (g_k - sum_j g_j y_j): the Jacobian diag(y) - y y^T applied to g.
            let dx = Tensor(uninitializedShape: y.shape)
            let gp = g.pointer, yp = y.pointer, d = dx.pointer
            for i in 0..<outer {
                for j in 0..<inner {
                    let base = i * size * inner + j
                    var dot: Double = 0
                    for k in 0..<size { dot += Double(gp[base + k * inner] * yp[base + k * inner]) }
                    let dotF = Float(dot)
                    for k in 0..<size {
                        let at = base + k * inner
                        d[at] = yp[at] * (gp[at] - dotF)
                    }
                }
            }
            return [dx]
        }
        return out
    }

    /// log softmax along `axis`, as `torch.log_softmax(x, dim=axis)`:
    /// x_i - m - log sum_j e^(x_j - m). Computed directly, not as log(softmax), so a very
    /// negative logit gives a large negative number instead of log(0) = -inf.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        let ax = normalizeAxis(axis, op: "logSoftmax")
        let (outer, size, inner) = split(at: ax)
        let out = Tensor(uninitializedShape: shape)
        let p = pointer, o = out.pointer
        for i in 0..<outer {
            for j in 0..<inner {
                let x = p + i * size * inner + j, y = o + i * size * inner + j
                var m = -Float.infinity
                // BEGIN SOLUTION ex00_1
                for k in 0..<size { m = Swift.max(m, x[k * inner]) }
                // END SOLUTION
                var total: Double = 0
                for k in 0..<size { total += Double(Foundation.exp(x[k * inner] - m)) }
                let shift = m + Float(Foundation.log(total))
                for k in 0..<size { y[k * inner] = x[k * inner] - shift }
            }
        }
        let y = out.detach()
        out.recordBackward("logSoftmax", from: [self]) { g in
            // dx_k = g_k - softmax_k sum_j g_j, with softmax_k = e^(y_k).
            let dx = Tensor(uninitializedShape: y.shape)
            let gp = g.pointer, yp = y.pointer, d = dx.pointer
            for i in 0..<outer {
                for j in 0..<inner {
                    let base = i * size * inner + j
                    var sum: Double = 0
                    for k in 0..<size { sum += Double(gp[base + k * inner]) }
                    let total = Float(sum)
                    for k in 0..<size {
                        let at = base + k * inner
                        d[at] = gp[at] - Foundation.exp(yp[at]) * total
                    }
                }
            }
            return [dx]
        }
        return out
    }
}
