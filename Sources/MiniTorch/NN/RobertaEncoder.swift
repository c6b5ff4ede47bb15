/// The transformer encoder of BERT and RoBERTa: a stack of identical layers, each
///
///     x = LayerNorm(x + dropout(dense(attention(x))))          RobertaAttention
///     x = LayerNorm(x + dropout(W2 gelu(W1 x)))                RobertaIntermediate + RobertaOutput
///
/// LayerNorm comes after each residual addition ("post-LN"), as in the original Transformer and
/// in BERT/RoBERTa (GPT-2 and most newer models normalise before instead). The class and
/// property names follow Hugging Face's modeling_roberta.py, so parameters are named
/// `encoder.layer.0.intermediate.dense.weight` and so on.

/// The first half of the feed-forward block: H -> intermediateSize, then the activation.
public final class RobertaIntermediate: Module {
    public var dense: any LinearLayer   // replaceable by a LoRA adapter
    let config: RobertaConfig

    public init(config: RobertaConfig, generator: Generator) {
        dense = config.linear(config.hiddenSize, config.intermediateSize, generator: generator)
        self.config = config
        super.init()
    }

    public override func callAsFunction(_ hiddenStates: Tensor) -> Tensor {
        config.activation(dense(hiddenStates))   // [B, T, H] -> [B, T, I]
    }
}

/// The second half: intermediateSize -> H, dropout, residual, LayerNorm.
public final class RobertaOutput: Module {
    public var dense: any LinearLayer   // replaceable by a LoRA adapter
    public let LayerNorm: MiniTorch.LayerNorm   // Hugging Face's attribute name
    public let dropout: Dropout

    public init(config: RobertaConfig, generator: Generator) {
        dense = config.linear(config.intermediateSize, config.hiddenSize, generator: generator)
        LayerNorm = config.layerNorm()
        dropout = Dropout(p: config.hiddenDropoutProb, generator: generator)
        super.init()
    }

    public func callAsFunction(_ hiddenStates: Tensor, input: Tensor) -> Tensor {
        LayerNorm(dropout(dense(hiddenStates)) + input)   // [B, T, I] -> [B, T, H]
    }
}

/// One encoder layer: attention block, then feed-forward block.
public final class RobertaLayer: Module {
    public let attention: RobertaAttention
    public let intermediate: RobertaIntermediate
    public let output: RobertaOutput

    public init(config: RobertaConfig, generator: Generator) {
        attention = RobertaAttention(config: config, generator: generator)
        intermediate = RobertaIntermediate(config: config, generator: generator)
        output = RobertaOutput(config: config, generator: generator)
        super.init()
    }

    public func callAsFunction(_ hiddenStates: Tensor, attentionMask: [Int]?) -> Tensor {
        let attended = attention(hiddenStates, attentionMask: attentionMask)   // [B, T, H]
        return output(intermediate(attended), input: attended)                 // [B, T, H] -> [B, T, I] -> [B, T, H]
    }
}

/// The stack: `layer` is Hugging Face's name for the list (`encoder.layer.0`, `encoder.layer.1`).
public final class RobertaEncoder: Module {
    public var layer: [RobertaLayer]

    public init(config: RobertaConfig, generator: Generator) {
        layer = (0..<config.numHiddenLayers).map { _ in RobertaLayer(config: config, generator: generator) }
        super.init()
    }

    public func callAsFunction(_ hiddenStates: Tensor, attentionMask: [Int]?) -> Tensor {
        layer.reduce(hiddenStates) { x, l in l(x, attentionMask: attentionMask) }   // [B, T, H] throughout
    }
}
