import Foundation

/// GPT-2, the decoder-only transformer, as Hugging Face's `GPT2LMHeadModel`
/// (transformers/models/gpt2/modeling_gpt2.py) and Karpathy's nanoGPT (model.py) write it:
///
///     x = wte[ids] + wpe[0 ..< T]                               token + position embeddings
///     for each block:
///         x = x + attn(ln_1(x))                                  causal self-attention
///         x = x + mlp(ln_2(x))                                   4x wide, GELU (tanh form)
///     logits = ln_f(x) wte^T                                     LM head tied to wte
///
/// LayerNorm comes before each sub-layer ("pre-LN"; RoBERTa normalises after the residual
/// addition), and attention is causal: position t sees positions 0...t only, so the logits at t
/// can be trained to predict token t + 1 for every t at once. Class and property names are
/// Hugging Face's, so parameters are named `transformer.h.0.attn.c_attn.weight` and so on, and
/// every projection is a `Conv1D` with its weight stored [in, out] as GPT-2's checkpoints store it.

/// GPT-2's sizes and settings, with `GPT2Config`'s field names in Swift casing (the JSON names
/// are Hugging Face's: `n_embd`, `n_layer`, ...) and its defaults (GPT-2 small, 124M).
public struct GPT2Config: Codable, Sendable, Equatable {
    public var vocabSize = 50257
    /// The longest sequence: rows of the position table `wpe`.
    public var nPositions = 1024
    public var nEmbd = 768
    public var nLayer = 12
    public var nHead = 12
    /// The MLP's width; nil means 4 x nEmbd.
    public var nInner: Int? = nil
    /// "gelu_new" is GELU's tanh approximation, what GPT-2 was trained with.
    public var activationFunction = "gelu_new"
    public var residPdrop: Float = 0.1
    public var embdPdrop: Float = 0.1
    public var attnPdrop: Float = 0.1
    public var layerNormEpsilon: Float = 1e-5
    public var initializerRange: Float = 0.02
    public var bosTokenId = 50256
    public var eosTokenId = 50256

    /// How attention is computed. Not one of Hugging Face's fields (its `attn_implementation`
    /// plays the same part) and not written to config.json: both give the same numbers.
    public enum AttentionImplementation: String, Codable, Sendable {
        /// Heads split by permute copies, Q K^T / sqrt(hs), masked_fill(-inf), softmax, times V:
        /// the textbook path, one op per step (nanoGPT's "manual implementation of attention").
        case eager
        /// Heads read in place by strided GEMMs and one fused causal softmax (AttentionHeads.swift,
        /// CausalSoftmax.swift): fewer passes and copies, the same result.
        case fused
    }
    public var attnImplementation = AttentionImplementation.fused

    public init(vocabSize: Int = 50257, nPositions: Int = 1024, nEmbd: Int = 768, nLayer: Int = 12, nHead: Int = 12,
                nInner: Int? = nil, residPdrop: Float = 0.1, embdPdrop: Float = 0.1, attnPdrop: Float = 0.1,
                bosTokenId: Int = 50256, eosTokenId: Int = 50256, attnImplementation: AttentionImplementation = .fused) {
        self.vocabSize = vocabSize
        self.nPositions = nPositions
        self.nEmbd = nEmbd
        self.nLayer = nLayer
        self.nHead = nHead
        self.nInner = nInner
        self.residPdrop = residPdrop
        self.embdPdrop = embdPdrop
        self.attnPdrop = attnPdrop
        self.bosTokenId = bosTokenId
        self.eosTokenId = eosTokenId
        self.attnImplementation = attnImplementation
    }

    /// The same dropout everywhere GPT-2 has it (embeddings, attention probabilities, residuals).
    public func withDropout(_ p: Float) -> GPT2Config {
        var c = self
        (c.residPdrop, c.embdPdrop, c.attnPdrop) = (p, p, p)
        return c
    }

    public var headSize: Int { nEmbd / nHead }
    public var innerSize: Int { nInner ?? 4 * nEmbd }

    /// Stops with a message if the sizes do not fit together.
    public func validate() {
        func check(_ ok: Bool, _ message: String) { if !ok { fail("GPT2Config: \(message)") } }
        check(vocabSize >= 1 && nPositions >= 1 && nEmbd >= 1 && nLayer >= 0 && innerSize >= 1,
              "sizes must be positive (vocabSize \(vocabSize), nPositions \(nPositions), nEmbd \(nEmbd), nLayer \(nLayer))")
        check(nHead >= 1 && nEmbd % nHead == 0, "nEmbd \(nEmbd) is not a multiple of nHead \(nHead)")
        check(eosTokenId >= 0 && eosTokenId < vocabSize && bosTokenId >= 0 && bosTokenId < vocabSize,
              "bosTokenId \(bosTokenId) and eosTokenId \(eosTokenId) must be token ids below vocabSize \(vocabSize)")
        check(activationFunction == "gelu_new", "activationFunction \"\(activationFunction)\": only gelu_new is implemented")
        for (name, p) in [("residPdrop", residPdrop), ("embdPdrop", embdPdrop), ("attnPdrop", attnPdrop)] {
            check(p >= 0 && p < 1, "\(name) must be in [0, 1) (got \(p))")
        }
    }

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", nPositions = "n_positions", nEmbd = "n_embd", nLayer = "n_layer", nHead = "n_head"
        case nInner = "n_inner", activationFunction = "activation_function", residPdrop = "resid_pdrop"
        case embdPdrop = "embd_pdrop", attnPdrop = "attn_pdrop", layerNormEpsilon = "layer_norm_epsilon"
        case initializerRange = "initializer_range", bosTokenId = "bos_token_id", eosTokenId = "eos_token_id"
    }
}

/// The upper triangle of ones, [T, T]: entry (i, j) is 1 where key j comes after query i. GPT-2
/// keeps the complement as its `bias` buffer and writes -inf where this is 1.
public func causalMask(_ t: Int) -> Tensor {
    // BEGIN SOLUTION ex13_1
    let mask = Tensor.zeros([t, t])
    for i in 0..<t {
        for j in (i + 1)..<Swift.max(t, i + 1) { mask.pointer[i * t + j] = 1 }   // key j after query i
    }
    return mask
    // END SOLUTION
}

/// Multi-head causal self-attention, as `GPT2Attention` (nanoGPT's `CausalSelfAttention`):
/// one Conv1D makes q, k and v side by side (`c_attn`, [H, 3H]), each of nh heads attends over
/// the positions up to its own, and `c_proj` mixes the heads back.
public final class GPT2Attention: Module {
    // @Replaceable: LoRA puts an adapter here (`getPeftModel`), QLoRA a 4-bit layer. Both are
    // Conv1D ([in, out]) until then; an adapter sees only in and out features.
    @Replaceable public var c_attn: any LinearLayer   // [H, 3H]: q, k, v fused
    @Replaceable public var c_proj: any LinearLayer   // [H, H]
    public let attn_dropout: Dropout
    public let resid_dropout: Dropout
    public let nHead: Int
    public let implementation: GPT2Config.AttentionImplementation

    public init(config: GPT2Config, generator: Generator) {
        c_attn = Conv1D(nf: 3 * config.nEmbd, nx: config.nEmbd, std: config.initializerRange, generator: generator)
        c_proj = Conv1D(nf: config.nEmbd, nx: config.nEmbd, std: config.initializerRange, generator: generator)
        attn_dropout = Dropout(p: config.attnPdrop, generator: generator)
        resid_dropout = Dropout(p: config.residPdrop, generator: generator)
        nHead = config.nHead
        implementation = config.attnImplementation
        super.init()
    }

    public override func callAsFunction(_ x: Tensor) -> Tensor { callAsFunction(x, sequenceIds: nil) }

    /// With `sequenceIds` [B, T] (packed rows, PackedAttention.swift), the causal mask becomes
    /// block-diagonal causal: a position sees only the earlier positions of its own example.
    public func callAsFunction(_ x: Tensor, sequenceIds: [Int]?) -> Tensor {
        let (b, t, h) = (x.shape[0], x.shape[1], x.shape[2])
        let hs = h / nHead
        let qkv = c_attn(x).split(sizes: [h, h, h], axis: 2)                     // [B, T, H] -> 3 x [B, T, H]
        let y: Tensor
        switch implementation {
        case .eager:
            // ANCHOR: eager_attention
            let q = qkv[0].reshape([b, t, nHead, hs]).permute([0, 2, 1, 3])     // [B, nh, T, hs]
            let k = qkv[1].reshape([b, t, nHead, hs]).permute([0, 2, 1, 3])     // [B, nh, T, hs]
            let v = qkv[2].reshape([b, t, nHead, hs]).permute([0, 2, 1, 3])     // [B, nh, T, hs]
            var att = q.matmul(k.transpose(-2, -1)) * (1 / Float(hs).squareRoot())   // [B, nh, T, T]
            let mask = sequenceIds.map { packedCausalMask($0, batch: b, length: t) } ?? causalMask(t)   // [B, 1, T, T] or [T, T]
            att = att.maskedFill(mask: mask, value: -.infinity)               // no looking ahead (nor into another example)
            att = attn_dropout(att.softmax(axis: -1))                         // [B, nh, T, T]
            y = att.matmul(v).permute([0, 2, 1, 3]).reshape([b, t, h])        // [B, nh, T, hs] -> [B, T, H]
            // ANCHOR_END: eager_attention
        case .fused:
            // ANCHOR: fused_attention
            let scores = attentionScores(qkv[0], qkv[1], heads: nHead)                  // [B, nh, T, T]
            let scale = 1 / Float(hs).squareRoot()
            let att = sequenceIds.map { packedCausalAttentionSoftmax(scores, sequenceIds: $0, scale: scale) }
                ?? causalAttentionSoftmax(scores, scale: scale)                          // [B, nh, T, T]
            y = attentionContext(attn_dropout(att), qkv[2])                              // [B, T, H]
            // ANCHOR_END: fused_attention
        }
        return resid_dropout(c_proj(y))                                       // [B, T, H]
    }
}

/// The feed-forward block, as `GPT2MLP`: H -> 4H, GELU (tanh form), 4H -> H, dropout.
public final class GPT2MLP: Module {
    @Replaceable public var c_fc: any LinearLayer     // [H, 4H], a Conv1D until adapted
    @Replaceable public var c_proj: any LinearLayer   // [4H, H]
    public let dropout: Dropout

    public init(config: GPT2Config, generator: Generator) {
        c_fc = Conv1D(nf: config.innerSize, nx: config.nEmbd, std: config.initializerRange, generator: generator)
        c_proj = Conv1D(nf: config.nEmbd, nx: config.innerSize, std: config.initializerRange, generator: generator)
        dropout = Dropout(p: config.residPdrop, generator: generator)
        super.init()
    }

    public override func callAsFunction(_ x: Tensor) -> Tensor {
        dropout(c_proj(c_fc(x).geluTanh()))   // [B, T, H] -> [B, T, 4H] -> [B, T, H]; geluTanh is gelu(approximate: .tanh), fast
    }
}

/// One pre-LN block, as `GPT2Block`: each sub-layer reads a normalised copy of the residual
/// stream and adds its output back to it.
public final class GPT2Block: Module {
    public let ln_1: LayerNorm
    public let attn: GPT2Attention
    public let ln_2: LayerNorm
    public let mlp: GPT2MLP

    public init(config: GPT2Config, generator: Generator) {
        ln_1 = LayerNorm(config.nEmbd, eps: config.layerNormEpsilon)
        attn = GPT2Attention(config: config, generator: generator)
        ln_2 = LayerNorm(config.nEmbd, eps: config.layerNormEpsilon)
        mlp = GPT2MLP(config: config, generator: generator)
        super.init()
    }

    public override func callAsFunction(_ x: Tensor) -> Tensor { callAsFunction(x, sequenceIds: nil) }

    /// `sequenceIds` [B, T] for packed rows: attention sees only each position's own example.
    public func callAsFunction(_ x: Tensor, sequenceIds: [Int]?) -> Tensor {
        let x = x + attn(ln_1(x), sequenceIds: sequenceIds)   // [B, T, H]
        return x + mlp(ln_2(x))                                // [B, T, H]
    }
}

/// The decoder without a head, as `GPT2Model`: embeddings, the blocks `h`, the final LayerNorm.
public final class GPT2Model: Module {
    public let wte: Embedding      // [vocab, H], also the LM head
    public let wpe: Embedding      // [nPositions, H]
    public let drop: Dropout
    public var h: [GPT2Block]
    public let ln_f: LayerNorm
    public let config: GPT2Config
    /// Recompute each block's activations in the backward pass instead of keeping them
    /// (`model.gradient_checkpointing_enable()`, the guide's `--gradient_checkpointing true`):
    /// less memory, one more forward per block. Training mode only.
    public var gradientCheckpointing = false

    public init(config: GPT2Config, generator: Generator) {
        config.validate()
        self.config = config
        wte = Embedding(numEmbeddings: config.vocabSize, embeddingDim: config.nEmbd, generator: generator)
        wpe = Embedding(numEmbeddings: config.nPositions, embeddingDim: config.nEmbd, generator: generator)
        drop = Dropout(p: config.embdPdrop, generator: generator)
        h = (0..<config.nLayer).map { _ in GPT2Block(config: config, generator: generator) }
        ln_f = LayerNorm(config.nEmbd, eps: config.layerNormEpsilon)
        super.init()
    }

    /// Token ids laid out [B, T] -> the last hidden states [B, T, H].
    ///
    /// For packed rows (several examples end to end, PackedAttention.swift), `positionIds` [B, T]
    /// restart at 0 for each example and `sequenceIds` [B, T] name the examples, so attention stays
    /// inside each one (Hugging Face's `position_ids` and packed-sequence mask). Without them every
    /// row is one sequence at positions 0 ..< T, under the plain causal mask.
    public func callAsFunction(inputIds: [Int], shape: [Int], positionIds: [Int]? = nil, sequenceIds: [Int]? = nil) -> Tensor {
        if shape.count != 2 || shape[0] * shape[1] != inputIds.count || shape[1] < 1 {
            fail("GPT2Model: \(inputIds.count) input ids do not fill shape \(show(shape)) ([batch, sequence length])")
        }
        if shape[1] > config.nPositions {
            fail("GPT2Model: sequence of \(shape[1]) tokens is longer than nPositions \(config.nPositions) (crop the context to the last \(config.nPositions) tokens)")
        }
        if let positionIds {
            if positionIds.count != inputIds.count { fail("GPT2Model: \(positionIds.count) position ids for \(inputIds.count) input ids") }
            if let bad = positionIds.firstIndex(where: { $0 < 0 || $0 >= config.nPositions }) {
                fail("GPT2Model: position id \(positionIds[bad]) at index \(bad) is outside 0 ..< nPositions \(config.nPositions)")
            }
        }
        if let sequenceIds { _ = packedSequenceStarts(sequenceIds, batch: shape[0], length: shape[1]) }   // checked once, not per layer
        let positions = positionIds.map { wpe($0, shape: shape) }   // [B, T, H]: each packed example from 0
            ?? wpe(Array(0..<shape[1]))                              // [T, H], the same for every sequence
        var x = drop(wte(inputIds, shape: shape) + positions)  // [B, T, H]
        for block in h {
            let forward = { (x: Tensor) in block(x, sequenceIds: sequenceIds) }   // [B, T, H]
            if gradientCheckpointing && training {
                x = checkpoint(x, parameters: block.parameters(), generator: block.attn.attn_dropout.generator) { forward($0) }   // [B, T, H]
            } else {
                x = forward(x)                                 // [B, T, H]
            }
        }
        return ln_f(x)                                         // [B, T, H]
    }
}

/// GPT-2 with its language-model head, as `GPT2LMHeadModel`: a score for every vocabulary
/// token at every position. The head has no weight of its own: it is `wte` (`tie_word_embeddings`),
/// so a token's input vector and its output vector are one [vocab, H] row.
public final class GPT2LMHeadModel: Module {
    public let transformer: GPT2Model
    /// Weight tied to transformer.wte.weight, no bias. @Replaceable so LoRA can adapt it too
    /// (the adapter wraps the tied Linear, whose weight stays the embedding's).
    @Replaceable public var lm_head: any LinearLayer
    public var config: GPT2Config { transformer.config }

    /// Hugging Face's `GPT2PreTrainedModel._init_weights`: every Conv1D and Embedding weight
    /// N(0, initializerRange = 0.02), biases zero, LayerNorm ones and zeros; then the two
    /// projections that write into the residual stream (`attn.c_proj`, `mlp.c_proj`) get
    /// std 0.02 / sqrt(2 x nLayer), since 2 x nLayer of them add up along the stream (GPT-2
    /// paper, section 2.3).
    public init(config: GPT2Config, generator: Generator) {
        transformer = GPT2Model(config: config, generator: generator)
        let head = Linear(inFeatures: config.nEmbd, outFeatures: config.vocabSize, bias: false, generator: generator)
        head.weight = transformer.wte.weight   // tied: one tensor, two uses
        lm_head = head
        super.init()
        let std = config.initializerRange
        noGrad {
            for (name, p) in namedParameters() where p.rank == 2 {
                let scaled = name.hasSuffix("c_proj.weight")
                p.copyFrom(.normal(p.shape, std: scaled ? std / (2 * Float(config.nLayer)).squareRoot() : std, generator: generator))
            }
        }
    }

    /// Token ids [B, T] -> logits [B, T, vocab]; `positionIds` and `sequenceIds` [B, T] for packed
    /// rows, as `GPT2Model` takes them.
    public func callAsFunction(inputIds: [Int], shape: [Int], positionIds: [Int]? = nil, sequenceIds: [Int]? = nil) -> Tensor {
        lm_head(transformer(inputIds: inputIds, shape: shape, positionIds: positionIds, sequenceIds: sequenceIds))   // [B, T, H] -> [B, T, vocab]
    }
}
