/// Choosing element by element between two tensors, as `torch.where(condition, a, b)`.
extension Tensor {
    /// `a` where `condition` is nonzero, else `b`; all three broadcast together. The gradient
    /// goes to whichever input was chosen at each position (summed back over broadcasting).
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let outShape = broadcastShape(broadcastShape(condition.shape, a.shape, op: "where"), b.shape, op: "where")
        let sc = broadcastStrides(condition.shape, to: outShape)
        let out = Tensor(uninitializedShape: outShape)
        let o = out.pointer, c = condition.pointer, pa = a.pointer, pb = b.pointer
        forEachBroadcast3(outShape, sc, broadcastStrides(a.shape, to: outShape), broadcastStrides(b.shape, to: outShape)) { i, ic, ia, ib in
            o[i] = c[ic] != 0 ? pa[ia] : pb[ib]
        }
        let (cond, sa, sb) = (condition.detach(), a.shape, b.shape)
        let (needA, needB) = (a.requiresGrad, b.requiresGrad)
        out.recordBackward("where", from: [a, b]) { g in
            // The gradient routed by the condition: g where chosen, 0 elsewhere, then sumTo.
            func routed(_ chosen: Bool) -> Tensor {
                let r = Tensor(uninitializedShape: outShape)
                let d = r.pointer, gp = g.pointer, c = cond.pointer
                forEachBroadcast(outShape, sc, sc) { start, offC, _, n, ic, _ in
                    for j in 0..<n { d[start + j] = (c[offC + j * ic] != 0) == chosen ? gp[start + j] : 0 }
                }
                return r
            }
            return [needA ? routed(true).sumTo(sa) : nil, needB ? routed(false).sumTo(sb) : nil]
        }
        return out
    }

    /// Visits every element of `outShape` in order with the flat offsets into three broadcast
    /// inputs (an odometer over the index, as in `forEachBroadcast`).
    private static func forEachBroadcast3(_ outShape: [Int], _ s0: [Int], _ s1: [Int], _ s2: [Int],
                                          _ body: (_ out: Int, _ o0: Int, _ o1: Int, _ o2: Int) -> Void) {
        let total = outShape.reduce(1, *), rank = outShape.count
        if total == 0 { return }
        var index = [Int](repeating: 0, count: rank)
        var o0 = 0, o1 = 0, o2 = 0
        for out in 0..<total {
            body(out, o0, o1, o2)
            var d = rank - 1
            while d >= 0 {
                index[d] += 1; o0 += s0[d]; o1 += s1[d]; o2 += s2[d]
                if index[d] < outShape[d] { break }
                o0 -= s0[d] * outShape[d]; o1 -= s1[d] * outShape[d]; o2 -= s2[d] * outShape[d]
                index[d] = 0
                d -= 1
            }
        }
    }
}
