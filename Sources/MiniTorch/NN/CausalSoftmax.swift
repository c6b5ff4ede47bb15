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

/// `causalAttentionSoftmax` for packed rows: query i of sequence b looks at keys j <= i of its own
/// example only, the block-diagonal causal mask of `packedCausalMask` (PackedAttention.swift) in the
/// same one pass. Because a packed example is one contiguous run of its row, the allowed keys are
/// the run from the example's first position to i: the row's maximum and sum run over those keys,
/// every other key gets probability exactly 0 (what -inf gives after exp), and the backward is the
/// softmax Jacobian times `scale` on the same keys. The diagonal is always allowed, so no row is
/// empty. scores [B, nh, T, T]; sequenceIds [B, T], each id one contiguous run of its row.
public func packedCausalAttentionSoftmax(_ scores: Tensor, sequenceIds: [Int], scale: Float) -> Tensor {
    if scores.rank != 4 || scores.shape[2] != scores.shape[3] {
        fail("packedCausalAttentionSoftmax: scores must be [B, nh, T, T], got \(show(scores.shape))")
    }
    if !(scale > 0) { fail("packedCausalAttentionSoftmax: scale must be positive (got \(scale))") }
    let (b, heads, t) = (scores.shape[0], scores.shape[1], scores.shape[3])
    let starts = packedSequenceStarts(sequenceIds, batch: b, length: t)   // [B, T]: where each position's example begins
    let rows = b * heads * t
    let out = Tensor(uninitializedShape: scores.shape)
    let s = scores.pointer, y = out.pointer
    Parallel.forChunks(rows, cost: t) { chunk in   // rows are independent
        for row in chunk {
            let i = row % t, first = starts[row / (heads * t) * t + i]   // keys first ... i
            let x = s + row * t, p = y + row * t
            let m = VectorRows.max(x + first, i - first + 1) * scale
            let total = VectorRows.sumExp(x + first, i - first + 1, scale: scale, shift: m, terms: p + first)
            let inverse = 1 / total
            for j in 0..<first { p[j] = 0 }
            for j in first...i { p[j] *= inverse }
            for j in (i + 1)..<Swift.max(t, i + 1) { p[j] = 0 }
        }
    }
    let probabilities = out.detach()
    out.recordBackward("packedCausalAttentionSoftmax", from: [scores]) { g in
        // dscore_j = scale * y_j (g_j - sum_i g_i y_i); masked keys have y_j = 0, so 0.
        let dx = Tensor.zeros(probabilities.shape)
        let gp = g.pointer, yp = probabilities.pointer, d = dx.pointer
        Parallel.forChunks(rows, cost: t) { chunk in
            for row in chunk {
                let i = row % t, first = starts[row / (heads * t) * t + i], offset = row * t
                var dot: Float = 0
                for j in first...i { dot += gp[offset + j] * yp[offset + j] }
                for j in first...i { d[offset + j] = scale * yp[offset + j] * (gp[offset + j] - dot) }
            }
        }
        return [dx]
    }
    return out
}
