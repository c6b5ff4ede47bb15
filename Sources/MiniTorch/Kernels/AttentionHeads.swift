// Speeds up: attention's two per-head products, Q K^T and P V, forward and backward.
// Must equal: the plain path of RobertaSelfAttention (NN/Roberta.swift): split heads with
// reshape + transpose, matmul, merge heads (tested within 1e-6: AttentionHeadsTests).

/// Attention's two per-head products, computed where the heads already are: no permute copies.
///
/// Hugging Face splits each projection into heads with `view(B, T, nh, hs).permute(0, 2, 1, 3)`,
/// which PyTorch does as a strided view. MiniTorch's tensors are contiguous, so `permute` would
/// copy Q, K, V and the context forward, and their gradients backward: eight copies a layer.
/// They are not needed. In a [B, T, H] tensor, head h of sequence b is the [T, hs] matrix that
/// starts at element b*T*H + h*hs and whose rows lie H elements apart; BLAS takes that distance
/// as the matrix's leading dimension (lda = H). So each product below reads and writes the heads
/// in place, forward and backward, one `cblas_sgemm` per sequence and head:
///
///     scores[b, h]          = Q_bh K_bh^T      [T, hs] x [hs, T] -> [T, T]
///     context_bh            = P[b, h] V_bh     [T, T] x [T, hs] -> [T, hs], written into [B, T, H]
///
/// where X_bh is head h of sequence b of X [B, T, H].

/// Q K^T for every sequence and head, as Hugging Face's
/// `torch.matmul(query_layer, key_layer.transpose(-1, -2))` on heads split from [B, T, H]:
/// query, key [B, T, H] -> scores [B, nh, T, T], not yet scaled (`attentionSoftmax` scales).
public func attentionScores(_ query: Tensor, _ key: Tensor, heads: Int) -> Tensor {
    if query.rank != 3 || key.shape != query.shape || heads < 1 || query.shape[2] % heads != 0 {
        fail("attentionScores: query \(show(query.shape)) and key \(show(key.shape)) must both be [B, T, H] with H divisible by \(heads) heads")
    }
    let (b, t, h) = (query.shape[0], query.shape[1], query.shape[2])
    let hs = h / heads
    let scores = Tensor(uninitializedShape: [b, heads, t, t])   // [B, T, H] x [B, T, H] -> [B, nh, T, T]
    Parallel.forChunks(b * heads, cost: t * t * hs / 8) { chunk in   // each thread its own heads
        for bh in chunk {
            let (batch, head) = bh.quotientAndRemainder(dividingBy: heads)
            let at = batch * t * h + head * hs, s = bh * t * t
            // S = Q K^T: K's head is read with rows H apart and transposed by BLAS.
            Tensor.gemm(false, true, t, t, hs, query.pointer + at, lda: h, key.pointer + at, ldb: h,
                        scores.pointer + s, ldc: t, beta: 0, split: false)
        }
    }
    let (q, k) = (query.detach(), key.detach())
    let (needQ, needK) = (query.requiresGrad, key.requiresGrad)
    scores.recordBackward("attention_scores", from: [query, key]) { g in
        // Each head writes its own hs columns of dQ and dK, so together they fill [B, T, H].
        let dq = needQ ? Tensor(uninitializedShape: q.shape) : nil
        let dk = needK ? Tensor(uninitializedShape: k.shape) : nil
        // dK is computed transposed, dK^T = Q^T dS [hs, T], then put in place: asked for dS^T Q
        // directly, BLAS adds up the same products in another order, and the lessons' numbers
        // are pinned to this one.
        Parallel.forChunks(b * heads, cost: 2 * t * t * hs / 8) { chunk in   // each thread its own heads
            let dkT = UnsafeMutablePointer<Float>.allocate(capacity: hs * t)     // one head's, reused
            defer { dkT.deallocate() }
            for bh in chunk {
                let (batch, head) = bh.quotientAndRemainder(dividingBy: heads)
                let at = batch * t * h + head * hs, ds = g.pointer + bh * t * t
                if let dq {   // dQ = dS K
                    Tensor.gemm(false, false, t, hs, t, ds, lda: t, k.pointer + at, ldb: h, dq.pointer + at, ldc: h, beta: 0, split: false)
                }
                if let dk {   // dK^T = Q^T dS
                    Tensor.gemm(true, false, hs, t, t, q.pointer + at, lda: h, ds, ldb: t, dkT, ldc: t, beta: 0, split: false)
                    let dst = dk.pointer + at
                    for j in 0..<t {
                        for d in 0..<hs { dst[j * h + d] = dkT[d * t + j] }
                    }
                }
            }
        }
        return [dq, dk]
    }
    return scores
}

/// P V for every sequence and head, with the heads joined back, as Hugging Face's
/// `torch.matmul(attention_probs, value_layer)` followed by `permute(0, 2, 1, 3)` and a view
/// to [B, T, H]: probabilities [B, nh, T, T], value [B, T, H] -> context [B, T, H].
public func attentionContext(_ probabilities: Tensor, _ value: Tensor) -> Tensor {
    let p = probabilities.shape
    if p.count != 4 || p[2] != p[3] || value.rank != 3 || value.shape[0] != p[0] || value.shape[1] != p[2]
        || p[1] < 1 || value.shape[2] % p[1] != 0 {
        fail("attentionContext: probabilities \(show(p)) must be [B, nh, T, T] and value \(show(value.shape)) [B, T, H] with H divisible by nh")
    }
    let (b, heads, t, h) = (p[0], p[1], p[2], value.shape[2])
    let hs = h / heads
    let context = Tensor(uninitializedShape: value.shape)   // [B, nh, T, T] x [B, T, H] -> [B, T, H]
    Parallel.forChunks(b * heads, cost: t * t * hs / 8) { chunk in   // each thread its own heads
        for bh in chunk {
            let (batch, head) = bh.quotientAndRemainder(dividingBy: heads)
            let at = batch * t * h + head * hs, ph = bh * t * t
            // C = P V: the head's output goes straight into its columns of [B, T, H].
            Tensor.gemm(false, false, t, hs, t, probabilities.pointer + ph, lda: t, value.pointer + at, ldb: h,
                        context.pointer + at, ldc: h, beta: 0, split: false)
        }
    }
    let (probs, v) = (probabilities.detach(), value.detach())
    let (needP, needV) = (probabilities.requiresGrad, value.requiresGrad)
    context.recordBackward("attention_context", from: [probabilities, value]) { g in
        let dp = needP ? Tensor(uninitializedShape: probs.shape) : nil
        let dv = needV ? Tensor(uninitializedShape: v.shape) : nil   // each head fills its own columns
        Parallel.forChunks(b * heads, cost: 2 * t * t * hs / 8) { chunk in   // each thread its own heads
            for bh in chunk {
                let (batch, head) = bh.quotientAndRemainder(dividingBy: heads)
                let at = batch * t * h + head * hs, ph = bh * t * t
                if let dp {   // dP = dC V^T
                    Tensor.gemm(false, true, t, t, hs, g.pointer + at, lda: h, v.pointer + at, ldb: h, dp.pointer + ph, ldc: t, beta: 0, split: false)
                }
                if let dv {   // dV = P^T dC
                    Tensor.gemm(true, false, t, hs, t, probs.pointer + ph, lda: t, g.pointer + at, ldb: h, dv.pointer + at, ldc: h, beta: 0, split: false)
                }
            }
        }
        return [dp, dv]
    }
    return context
}
