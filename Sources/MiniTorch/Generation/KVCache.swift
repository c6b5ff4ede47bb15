import Foundation

/// Each layer's keys and values of the tokens seen so far, so that generation feeds one new
/// token per step instead of the whole context (Hugging Face's `DynamicCache`, nanoGPT-style
/// without the re-computation).
///
/// Why it is exact: in a causal decoder the hidden state at position t depends only on tokens
/// 0...t, so the keys and values of earlier positions never change when a token is appended.
/// A new token needs its own query, key and value, and attends over the cached keys plus its
/// own; everything else in the block (LayerNorms, MLP, projections) works position by position.
/// The work per step drops from the whole context to one position, plus reading the cache.
public final class KVCache {
    /// Per layer, [nPositions, H]: row t holds position t's keys (heads side by side).
    public let keys: [Tensor]
    public let values: [Tensor]
    /// Positions filled so far.
    public private(set) var length = 0

    public init(config: GPT2Config) {
        keys = (0..<config.nLayer).map { _ in Tensor.zeros([config.nPositions, config.nEmbd]) }
        values = (0..<config.nLayer).map { _ in Tensor.zeros([config.nPositions, config.nEmbd]) }
    }

    /// Appends rows 0..<count of layer `layer`'s new keys and values (read with row stride
    /// `stride` from `k` and `v`).
    func append(layer: Int, k: UnsafePointer<Float>, v: UnsafePointer<Float>, count: Int, width: Int, stride: Int) {
        for r in 0..<count {
            (keys[layer].pointer + (length + r) * width).update(from: k + r * stride, count: width)
            (values[layer].pointer + (length + r) * width).update(from: v + r * stride, count: width)
        }
    }

    func advance(by n: Int) { length += n }
}

extension GPT2LMHeadModel {
    /// Feeds `ids` (the next positions after those in `cache`) through the model, adds their
    /// keys and values to the cache, and returns the logits at the last of them. The first call
    /// passes the whole prompt ("prefill"), later calls one token each.
    public func forward(_ ids: [Int], cache: KVCache) -> [Float] {
        let (n, past, h) = (ids.count, cache.length, config.nEmbd)
        if n < 1 || past + n > config.nPositions {
            fail("KVCache: \(past) cached + \(n) new positions do not fit nPositions \(config.nPositions)")
        }
        let heads = config.nHead, total = past + n
        return noGrad {
            let embedded = transformer.wte(ids, shape: [1, n]) + transformer.wpe(Array(past..<total))   // [1, n, H]
            var x = transformer.drop(embedded)
            for (layer, block) in transformer.h.enumerated() {
                let qkv = block.attn.c_attn(block.ln_1(x))                                   // [1, n, 3H]: q | k | v
                cache.append(layer: layer, k: qkv.pointer + h, v: qkv.pointer + 2 * h, count: n, width: h, stride: 3 * h)
                let y = cachedAttention(qkv, keys: cache.keys[layer], values: cache.values[layer], past: past, heads: heads)   // [1, n, H]
                x = x + block.attn.c_proj(y)                                                 // [1, n, H]
                x = x + block.mlp(block.ln_2(x))                                             // [1, n, H]
            }
            cache.advance(by: n)
            let last = x.narrow(axis: 1, start: n - 1, length: 1)                            // [1, 1, H]
            return lm_head(transformer.ln_f(last)).scalars                                   // [vocab]
        }
    }
}

/// One layer's attention for `n` new positions over the cache: each new query (the first H
/// columns of `qkv` [1, n, 3H]) against the keys of positions 0 ..< past + n (rows of `keys`
/// [nPositions, H], already holding the new ones), causally (new position past + r sees keys
/// 0 ... past + r), then the values mixed by those weights; heads side by side -> [1, n, H].
func cachedAttention(_ qkv: Tensor, keys: Tensor, values: Tensor, past: Int, heads: Int) -> Tensor {
    let (n, h) = (qkv.shape[1], qkv.shape[2] / 3)
    let (hs, total) = (h / heads, past + n)
    // BEGIN SOLUTION ex13_3
    let scores = Tensor(uninitializedShape: [1, heads, n, total])                // [1, nh, n, past + n]
    for head in 0..<heads {   // S = Q K^T: head h is columns h*hs ..< (h+1)*hs; rows 3H (q) and H (cache) apart
        Tensor.gemm(false, true, n, total, hs, qkv.pointer + head * hs, lda: 3 * h, keys.pointer + head * hs, ldb: h,
                    scores.pointer + head * n * total, ldc: total, beta: 0)
    }
    let att = causalAttentionSoftmax(scores, scale: 1 / Float(hs).squareRoot()) // new query r sees 0 ... past + r
    let y = Tensor(uninitializedShape: [1, n, h])                                // [1, n, H]
    for head in 0..<heads {   // Y = P V, each head into its own columns
        Tensor.gemm(false, false, n, hs, total, att.pointer + head * n * total, lda: total, values.pointer + head * hs, ldb: h,
                    y.pointer + head * hs, ldc: h, beta: 0)
    }
    return y
    // END SOLUTION
}
