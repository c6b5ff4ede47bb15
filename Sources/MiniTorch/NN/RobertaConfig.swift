/// The sizes and settings of a RoBERTa model, with Hugging Face's `RobertaConfig` field names
/// (in Swift casing) and its defaults where they make sense for a tiny model.
public struct RobertaConfig: Sendable, Equatable {
    public var vocabSize: Int
    public var hiddenSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var intermediateSize: Int
    /// "gelu" (exact, erf form, as RoBERTa), "gelu_new" / "gelu_pytorch_tanh" (tanh form) or "relu".
    public var hiddenAct: String
    public var hiddenDropoutProb: Float
    public var attentionProbsDropoutProb: Float
    /// Positions are numbered from padTokenId + 1 (see `RobertaEmbeddings`), so a sequence of T
    /// tokens needs T + 2 of them: roberta-base has 514 for 512 tokens.
    public var maxPositionEmbeddings: Int
    public var typeVocabSize: Int
    public var initializerRange: Float
    public var layerNormEps: Float
    public var padTokenId: Int
    public var bosTokenId: Int
    public var eosTokenId: Int
    /// Classes of `RobertaForSequenceClassification`.
    public var numLabels: Int
    /// Dropout before the classifier (nil: `hiddenDropoutProb`), HF's `classifier_dropout`.
    public var classifierDropout: Float?

    public init(vocabSize: Int, hiddenSize: Int = 768, numHiddenLayers: Int = 12, numAttentionHeads: Int = 12,
                intermediateSize: Int = 3072, hiddenAct: String = "gelu", hiddenDropoutProb: Float = 0.1,
                attentionProbsDropoutProb: Float = 0.1, maxPositionEmbeddings: Int = 514, typeVocabSize: Int = 1,
                initializerRange: Float = 0.02, layerNormEps: Float = 1e-5, padTokenId: Int = 1, bosTokenId: Int = 0,
                eosTokenId: Int = 2, numLabels: Int = 2, classifierDropout: Float? = nil) {
        self.vocabSize = vocabSize
        self.hiddenSize = hiddenSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.intermediateSize = intermediateSize
        self.hiddenAct = hiddenAct
        self.hiddenDropoutProb = hiddenDropoutProb
        self.attentionProbsDropoutProb = attentionProbsDropoutProb
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.typeVocabSize = typeVocabSize
        self.initializerRange = initializerRange
        self.layerNormEps = layerNormEps
        self.padTokenId = padTokenId
        self.bosTokenId = bosTokenId
        self.eosTokenId = eosTokenId
        self.numLabels = numLabels
        self.classifierDropout = classifierDropout
    }

    /// The lessons' model: hidden 64, 2 layers, 4 heads of 16, feed-forward 256, sequences of up
    /// to 32 tokens (34 positions). About 0.1M parameters plus the embeddings.
    public static func tiny(vocabSize: Int) -> RobertaConfig {
        RobertaConfig(vocabSize: vocabSize, hiddenSize: 64, numHiddenLayers: 2, numAttentionHeads: 4,
                      intermediateSize: 256, maxPositionEmbeddings: 34)
    }

    /// The longest input: positions padTokenId + 1 ... must stay below maxPositionEmbeddings.
    public var maxSequenceLength: Int { maxPositionEmbeddings - padTokenId - 1 }

    /// Head size: hiddenSize / numAttentionHeads.
    public var headSize: Int { hiddenSize / numAttentionHeads }

    /// Stops with a message if the sizes do not fit together.
    public func validate() {
        func check(_ ok: Bool, _ message: String) { if !ok { fail("RobertaConfig: \(message)") } }
        check(vocabSize > padTokenId && vocabSize > bosTokenId && vocabSize > eosTokenId, "vocabSize \(vocabSize) must include the special token ids")
        check(hiddenSize >= 1 && numHiddenLayers >= 0 && intermediateSize >= 1 && typeVocabSize >= 1 && numLabels >= 1,
              "sizes must be positive (hiddenSize \(hiddenSize), numHiddenLayers \(numHiddenLayers), intermediateSize \(intermediateSize))")
        check(numAttentionHeads >= 1 && hiddenSize % numAttentionHeads == 0,
              "hiddenSize \(hiddenSize) is not a multiple of numAttentionHeads \(numAttentionHeads)")
        check(maxPositionEmbeddings > padTokenId + 1, "maxPositionEmbeddings \(maxPositionEmbeddings) must exceed padTokenId + 1 (positions start at padTokenId + 1)")
        check(["gelu", "gelu_new", "gelu_pytorch_tanh", "relu"].contains(hiddenAct), "hiddenAct \"\(hiddenAct)\" is not one of gelu, gelu_new, gelu_pytorch_tanh, relu")
        for (name, p) in [("hiddenDropoutProb", hiddenDropoutProb), ("attentionProbsDropoutProb", attentionProbsDropoutProb), ("classifierDropout", classifierDropout ?? 0)] {
            check(p >= 0 && p <= 1, "\(name) must be in [0, 1] (got \(p))")
        }
    }

    /// The activation named by `hiddenAct`, applied to a tensor.
    func activation(_ x: Tensor) -> Tensor {
        switch hiddenAct {
        case "relu": return x.relu()
        case "gelu_new", "gelu_pytorch_tanh": return x.gelu(approximate: .tanh)
        default: return x.gelu(approximate: .none)
        }
    }
}

/// Hugging Face's `RobertaPreTrainedModel._init_weights`: Linear and Embedding weights drawn
/// from N(0, initializerRange = 0.02), biases zero, the padding row of an embedding zero,
/// LayerNorm weight one and bias zero (LayerNorm's own default).
extension RobertaConfig {
    func linear(_ inFeatures: Int, _ outFeatures: Int, generator: Generator) -> Linear {
        let layer = Linear(inFeatures: inFeatures, outFeatures: outFeatures, generator: generator)
        layer.weight.copyFrom(.normal([outFeatures, inFeatures], std: initializerRange, generator: generator))
        layer.bias?.copyFrom(.zeros([outFeatures]))
        return layer
    }

    func embedding(_ count: Int, paddingIdx: Int?, generator: Generator) -> Embedding {
        let table = Embedding(numEmbeddings: count, embeddingDim: hiddenSize, generator: generator, paddingIdx: paddingIdx)
        table.weight.copyFrom(.normal([count, hiddenSize], std: initializerRange, generator: generator))
        if let paddingIdx { (table.weight.pointer + paddingIdx * hiddenSize).update(repeating: 0, count: hiddenSize) }
        return table
    }

    func layerNorm() -> LayerNorm { LayerNorm(hiddenSize, eps: layerNormEps) }
}
