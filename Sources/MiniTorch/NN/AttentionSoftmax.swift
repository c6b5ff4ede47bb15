import Foundation

/// softmax(scale * scores + padding mask) over the last axis, fused into one pass.
///
/// Attention's probabilities are computed from scores [B, nh, T, T] in three steps in Hugging
/// Face (`attention_scores / sqrt(head_size)`, `+ extended_attention_mask`, `softmax`), each a
/// full pass over B x nh x T x T numbers with a new tensor. Here they are one loop per row:
/// padding keys are skipped (their probability is exactly 0, which is what adding the
/// mask's large negative number gives after exp), the row's maximum and sum run over the real
/// keys only, and the backward is the softmax Jacobian times `scale`.
///
/// `keyMask` is the attention mask [B, T]: 1 for a real token, 0 for padding. A row whose keys
/// are all padding attends to all of them uniformly, as the large-negative mask would.
public func attentionSoftmax(_ scores: Tensor, keyMask: [Int]?, scale: Float) -> Tensor {
    if scores.rank != 4 || scores.shape[2] != scores.shape[3] {
        fail("attentionSoftmax: scores must be [B, nh, T, T], got \(show(scores.shape))")
    }
    let (b, heads, t) = (scores.shape[0], scores.shape[1], scores.shape[3])
    if let keyMask, keyMask.count != b * t {
        fail("attentionSoftmax: attention mask has \(keyMask.count) entries, scores \(show(scores.shape)) need B x T = \(b * t)")
    }
    let out = Tensor(uninitializedShape: scores.shape)
    let s = scores.pointer, y = out.pointer
    // BEGIN SOLUTION ex06_3
    var keep = [Bool](repeating: true, count: b * t)
    if let keyMask {
        for batch in 0..<b {
            let row = keyMask[(batch * t)..<((batch + 1) * t)]
            if row.contains(where: { $0 != 0 }) { for j in 0..<t { keep[batch * t + j] = keyMask[batch * t + j] != 0 } }
        }
    }
    keep.withUnsafeBufferPointer { keep in
        for batch in 0..<b {
            let k = keep.baseAddress! + batch * t
            for row in 0..<(heads * t) {
                let offset = (batch * heads * t + row) * t
                let x = s + offset, p = y + offset
                var m = -Float.infinity
                for j in 0..<t where k[j] { m = Swift.max(m, x[j] * scale) }
                var total: Float = 0
                for j in 0..<t {
                    let e: Float = k[j] ? Foundation.exp(x[j] * scale - m) : 0
                    p[j] = e
                    total += e
                }
                let inverse = 1 / total
                for j in 0..<t { p[j] *= inverse }
            }
        }
    }
    // END SOLUTION
    let probabilities = out.detach()
    out.recordBackward("attentionSoftmax", from: [scores]) { g in
        // dscore_j = scale * y_j (g_j - sum_i g_i y_i); masked keys have y_j = 0, so 0.
        let dx = Tensor(uninitializedShape: probabilities.shape)
        let gp = g.pointer, yp = probabilities.pointer, d = dx.pointer
        Parallel.forChunks(b * heads * t, cost: t) { rows in   // each thread its own rows
            for row in rows {
                let offset = row * t
                var dot: Float = 0
                for j in 0..<t { dot += gp[offset + j] * yp[offset + j] }
                for j in 0..<t { d[offset + j] = scale * yp[offset + j] * (gp[offset + j] - dot) }
            }
        }
        return [dx]
    }
    return out
}
