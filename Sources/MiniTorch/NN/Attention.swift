import Foundation

/// Multi-head self-attention with a padding mask, as Hugging Face's `RobertaSelfAttention`
/// (transformers/models/roberta/modeling_roberta.py), eager path:
///
///     Q, K, V = x Wq^T + bq, x Wk^T + bk, x Wv^T + bv          each [B, T, H]
///     split H into nh heads of hs = H / nh                     [B, nh, T, hs]
///     P = softmax(Q K^T / sqrt(hs) + mask)                     [B, nh, T, T]
///     context = dropout(P) V, heads joined back                [B, T, H]
///
/// Each head attends with its own slice of the projections: head h is columns h*hs ..< (h+1)*hs
/// of Q, K and V, which `attentionScores` and `attentionContext` (AttentionHeads.swift) read in
/// place rather than copying the heads out. Padding keys get probability 0, so padded positions
/// never change what real tokens see. Stored property names are Hugging
/// Face's, which makes the parameter names `...attention.self.query.weight`.
public final class RobertaSelfAttention: Module {
    // `var` and `any LinearLayer`, so LoRA can swap in an adapter (PEFT's setattr on the parent).
    public var query: any LinearLayer
    public var key: any LinearLayer
    public var value: any LinearLayer
    public let dropout: Dropout
    public let numAttentionHeads: Int
    public let headSize: Int

    public init(config: RobertaConfig, generator: Generator) {
        let h = config.hiddenSize
        query = config.linear(h, h, generator: generator)
        key = config.linear(h, h, generator: generator)
        value = config.linear(h, h, generator: generator)
        dropout = Dropout(p: config.attentionProbsDropoutProb, generator: generator)
        numAttentionHeads = config.numAttentionHeads
        headSize = config.headSize
        super.init()
    }

    /// `hiddenStates` [B, T, H]; `attentionMask` [B, T] flattened (1 real, 0 padding) or nil.
    public func callAsFunction(_ hiddenStates: Tensor, attentionMask: [Int]?) -> Tensor {
        let q = query(hiddenStates), k = key(hiddenStates), v = value(hiddenStates)   // each [B, T, H]: nh heads of hs side by side
        let scores = attentionScores(q, k, heads: numAttentionHeads)                  // [B, T, H] x [B, T, H] -> [B, nh, T, T]
        let probabilities = attentionSoftmax(scores, keyMask: attentionMask, scale: 1 / Float(headSize).squareRoot())   // [B, nh, T, T]
        return attentionContext(dropout(probabilities), v)                             // [B, nh, T, T] x [B, T, H] -> [B, T, H]
    }
}

/// The projection after attention and the first residual block, as `RobertaSelfOutput`:
/// LayerNorm(input + dropout(dense(attention output))), post-LN as in BERT and RoBERTa.
public final class RobertaSelfOutput: Module {
    public var dense: any LinearLayer   // replaceable by a LoRA adapter
    public let LayerNorm: MiniTorch.LayerNorm   // Hugging Face's attribute name, capital L
    public let dropout: Dropout

    public init(config: RobertaConfig, generator: Generator) {
        dense = config.linear(config.hiddenSize, config.hiddenSize, generator: generator)
        LayerNorm = config.layerNorm()
        dropout = Dropout(p: config.hiddenDropoutProb, generator: generator)
        super.init()
    }

    public func callAsFunction(_ hiddenStates: Tensor, input: Tensor) -> Tensor {
        LayerNorm(dropout(dense(hiddenStates)) + input)   // [B, T, H]
    }
}

/// Self-attention and its output block, as `RobertaAttention` (names `attention.self.*` and
/// `attention.output.*`).
public final class RobertaAttention: Module {
    public let `self`: RobertaSelfAttention   // Hugging Face names it `self`; Swift needs backticks
    public let output: RobertaSelfOutput

    public init(config: RobertaConfig, generator: Generator) {
        self.`self` = RobertaSelfAttention(config: config, generator: generator)
        output = RobertaSelfOutput(config: config, generator: generator)
        super.init()
    }

    public func callAsFunction(_ hiddenStates: Tensor, attentionMask: [Int]?) -> Tensor {
        output(self.`self`(hiddenStates, attentionMask: attentionMask), input: hiddenStates)   // [B, T, H]
    }
}
