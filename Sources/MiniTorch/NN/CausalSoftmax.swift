import Foundation

/// softmax(scale * scores) over the last axis with a causal mask, fused into one pass: what
/// GPT-2's eager attention does in three (`attn_weights / sqrt(head_dim)`, `torch.where(
/// causal_mask, attn_weights, -inf)`, `softmax`), each a full pass with a new tensor.
///
/// Query i may look at keys 0...i and no later ones: the keys after it get probability exactly
/// 0 (what -inf gives after exp), and the row's maximum and sum run over the allowed keys only.
/// Scores may have fewer query rows than keys ([B, nh, Tq, Tk] with Tq <= Tk): then the queries
/// are the last Tq positions, so query r sees keys 0 ... (Tk - Tq + r), as when new tokens
/// attend to a cache of earlier ones. The backward is the softmax Jacobian times `scale`.
public func causalAttentionSoftmax(_ scores: Tensor, scale: Float) -> Tensor {
    if scores.rank != 4 || scores.shape[2] > scores.shape[3] {
        fail("causalAttentionSoftmax: scores must be [B, nh, Tq, Tk] with Tq <= Tk, got \(show(scores.shape))")
    }
    if !(scale > 0) { fail("causalAttentionSoftmax: scale must be positive (got \(scale))") }
    let (tq, tk) = (scores.shape[2], scores.shape[3])
    let rows = scores.count / Swift.max(tk, 1), past = tk - tq
    let out = Tensor(uninitializedShape: scores.shape)
    let s = scores.pointer, y = out.pointer
    Parallel.forChunks(rows, cost: tk) { chunk in   // rows are independent
        for row in chunk {
            let x = s + row * tk, p = y + row * tk
            let allowed = past + row % tq + 1   // keys 0 ..< allowed
            let m = VectorRows.max(x, allowed) * scale                                 // scale > 0
            let total = VectorRows.sumExp(x, allowed, scale: scale, shift: m, terms: p)   // p_j = e^(scale x_j - m)
            let inverse = 1 / total
            for j in 0..<allowed { p[j] *= inverse }
            for j in allowed..<tk { p[j] = 0 }
        }
    }
    let probabilities = out.detach()
    out.recordBackward("causalAttentionSoftmax", from: [scores]) { g in
        // dscore_j = scale * y_j (g_j - sum_i g_i y_i); masked keys have y_j = 0, so 0.
        let dx = Tensor(uninitializedShape: probabilities.shape)
        let gp = g.pointer, yp = probabilities.pointer, d = dx.pointer
        Parallel.forChunks(rows, cost: tk) { chunk in
            for row in chunk {
                let offset = row * tk, allowed = past + row % tq + 1
                var dot: Float = 0
                for j in 0..<allowed { dot += gp[offset + j] * yp[offset + j] }
                for j in 0..<allowed { d[offset + j] = scale * yp[offset + j] * (gp[offset + j] - dot) }
                for j in allowed..<tk { d[offset + j] = 0 }
            }
        }
        return [dx]
    }
    return out
}
