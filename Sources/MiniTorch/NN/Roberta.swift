/// RoBERTa, the whole model in one file (as nanoGPT keeps model.py), with Hugging Face's class
/// and attribute names (transformers/models/roberta/modeling_roberta.py), so parameters are
/// named `roberta.encoder.layer.0.attention.self.query.weight` and load from its checkpoints:
///
///     RobertaConfig                      sizes and settings
///     RobertaEmbeddings                  token ids [B, T] -> word + position + type vectors [B, T, H]
///     RobertaSelfAttention               softmax(Q K^T / sqrt(hs) + mask) V over nh heads
///     RobertaSelfOutput, RobertaAttention    x = LayerNorm(x + dropout(dense(attention(x))))
///     RobertaIntermediate, RobertaOutput     x = LayerNorm(x + dropout(W2 gelu(W1 x)))
///     RobertaLayer, RobertaEncoder       the two blocks, stacked numHiddenLayers times
///     RobertaModel                       embeddings + encoder: one vector per token
///     RobertaLMHead, RobertaForMaskedLM  a score for every vocabulary word at every position
///     RobertaClassificationHead, RobertaForSequenceClassification    logits per sentence
///
/// LayerNorm comes after each residual addition ("post-LN"), as in the original Transformer and
/// in BERT/RoBERTa (GPT-2 and most newer models normalise before instead). Model classes take
/// flat token ids with their `shape` [B, T] (as `Embedding` does) and an optional attention
/// mask [B, T] (1 real token, 0 padding; nil means all real, Hugging Face's default).

// MARK: Configuration

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
    /// Attention through the fused kernels (heads read in place, scale + mask + softmax in one
    /// pass) rather than op by op. The same numbers within 1e-6 either way, as nanoGPT's
    /// `self.flash`; not part of Hugging Face's config, and never saved.
    public var fusedAttention: Bool

    public init(vocabSize: Int, hiddenSize: Int = 768, numHiddenLayers: Int = 12, numAttentionHeads: Int = 12,
                intermediateSize: Int = 3072, hiddenAct: String = "gelu", hiddenDropoutProb: Float = 0.1,
                attentionProbsDropoutProb: Float = 0.1, maxPositionEmbeddings: Int = 514, typeVocabSize: Int = 1,
                initializerRange: Float = 0.02, layerNormEps: Float = 1e-5, padTokenId: Int = 1, bosTokenId: Int = 0,
                eosTokenId: Int = 2, numLabels: Int = 2, classifierDropout: Float? = nil, fusedAttention: Bool = true) {
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
        self.fusedAttention = fusedAttention
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

// MARK: Embeddings

/// Token ids to vectors, as Hugging Face's `RobertaEmbeddings`: a learned vector per word, plus
/// one per position, plus the (single) token-type vector, then LayerNorm and dropout.
///
/// Attention itself ignores order, so the position vectors are what tells "the dog sees a cat"
/// from "a cat sees the dog". RoBERTa numbers positions from `padTokenId + 1` and gives padding
/// the position `padTokenId` (`create_position_ids_from_input_ids`): with <pad> = 1, the real
/// tokens sit at positions 2, 3, ..., which is why roberta-base has 514 position embeddings for
/// 512 tokens. The token-type table has one row (RoBERTa dropped BERT's sentence-pair segment
/// ids with next-sentence prediction); it is kept so checkpoints match Hugging Face's names.
public final class RobertaEmbeddings: Module {
    public let word_embeddings: Embedding       // [vocabSize, H]
    public let position_embeddings: Embedding   // [maxPositionEmbeddings, H]
    public let token_type_embeddings: Embedding // [typeVocabSize, H]
    public let LayerNorm: MiniTorch.LayerNorm
    public let dropout: Dropout
    public let padTokenId: Int

    public init(config: RobertaConfig, generator: Generator) {
        word_embeddings = config.embedding(config.vocabSize, paddingIdx: config.padTokenId, generator: generator)
        position_embeddings = config.embedding(config.maxPositionEmbeddings, paddingIdx: config.padTokenId, generator: generator)
        token_type_embeddings = config.embedding(config.typeVocabSize, paddingIdx: nil, generator: generator)
        LayerNorm = config.layerNorm()
        dropout = Dropout(p: config.hiddenDropoutProb, generator: generator)
        padTokenId = config.padTokenId
        super.init()
    }

    /// Hugging Face's `create_position_ids_from_input_ids`: each real token gets
    /// padTokenId + (its rank among the row's real tokens), padding gets padTokenId.
    public static func positionIds(_ inputIds: [Int], shape: [Int], padTokenId: Int) -> [Int] {
        let t = shape[1]
        var positions = [Int](repeating: padTokenId, count: inputIds.count)
        for row in 0..<shape[0] {
            var seen = 0
            for j in 0..<t where inputIds[row * t + j] != padTokenId {
                seen += 1
                positions[row * t + j] = padTokenId + seen
            }
        }
        return positions
    }

    /// `inputIds` laid out as `shape` [B, T] -> [B, T, H].
    public func callAsFunction(inputIds: [Int], shape: [Int]) -> Tensor {
        let limit = position_embeddings.numEmbeddings - padTokenId - 1
        if shape[1] > limit {
            fail("RobertaEmbeddings: sequences of \(shape[1]) tokens are longer than the \(limit) that maxPositionEmbeddings \(position_embeddings.numEmbeddings) allows (positions start at padTokenId + 1)")
        }
        let positions = RobertaEmbeddings.positionIds(inputIds, shape: shape, padTokenId: padTokenId)
        let words = word_embeddings(inputIds, shape: shape)                                  // [B, T] -> [B, T, H]
        let types = token_type_embeddings([Int](repeating: 0, count: inputIds.count), shape: shape)   // [B, T, H]
        let places = position_embeddings(positions, shape: shape)                            // [B, T, H]
        return dropout(LayerNorm(words + types + places))                                    // [B, T, H]
    }
}

// MARK: Attention

/// Multi-head self-attention with a padding mask, as Hugging Face's `RobertaSelfAttention`
/// (transformers/models/roberta/modeling_roberta.py), eager path:
///
///     attention(Q, K, V) = softmax(Q K^T / sqrt(hs) + mask) V
///
/// computed for nh heads at once: each head attends with its own hs = H / nh columns of the
/// projections Q, K and V. Padding keys get probability 0, so padded positions never change
/// what real tokens see. Stored property names are Hugging Face's, which makes the parameter
/// names `...attention.self.query.weight`.
public final class RobertaSelfAttention: Module {
    // @Replaceable: LoRA puts an adapter here (`update(modules:)`), QLoRA a 4-bit layer.
    @Replaceable public var query: any LinearLayer
    @Replaceable public var key: any LinearLayer
    @Replaceable public var value: any LinearLayer
    public let dropout: Dropout
    public let numAttentionHeads: Int
    public let headSize: Int
    /// `config.fusedAttention`: the kernels instead of the plain ops (same numbers within 1e-6).
    public let fused: Bool

    public init(config: RobertaConfig, generator: Generator) {
        let h = config.hiddenSize
        query = config.linear(h, h, generator: generator)
        key = config.linear(h, h, generator: generator)
        value = config.linear(h, h, generator: generator)
        dropout = Dropout(p: config.attentionProbsDropoutProb, generator: generator)
        numAttentionHeads = config.numAttentionHeads
        headSize = config.headSize
        fused = config.fusedAttention
        super.init()
    }

    /// `hiddenStates` [B, T, H]; `attentionMask` [B, T] flattened (1 real, 0 padding) or nil.
    public func callAsFunction(_ hiddenStates: Tensor, attentionMask: [Int]?) -> Tensor {
        let q = query(hiddenStates), k = key(hiddenStates), v = value(hiddenStates)   // each [B, T, H]
        if fused { return fusedAttention(q, k, v, attentionMask: attentionMask) }
        // ANCHOR: attention
        let (b, t, h) = (q.shape[0], q.shape[1], q.shape[2])
        let (nh, hs) = (numAttentionHeads, headSize)
        func splitHeads(_ x: Tensor) -> Tensor { x.reshape([b, t, nh, hs]).transpose(1, 2) }   // [B, T, H] -> [B, nh, T, hs]
        let (qh, kh, vh) = (splitHeads(q), splitHeads(k), splitHeads(v))                      // each [B, nh, T, hs]
        var scores = qh.matmul(kh.transpose(2, 3)) / Float(hs).squareRoot()                   // [B, nh, T, hs] x [B, nh, hs, T] -> [B, nh, T, T]
        if let attentionMask {   // padding keys: the lowest float (HF's torch.finfo.min), so exp gives 0
            let padding = Tensor(attentionMask.map { $0 == 0 ? 1 : 0 }, shape: [b, 1, 1, t])   // [B, 1, 1, T], broadcast over heads and queries
            scores = scores.maskedFill(mask: padding, value: -.greatestFiniteMagnitude)        // [B, nh, T, T]
        }
        let probabilities = dropout(scores.softmax(axis: -1))                                  // [B, nh, T, T], each row sums to 1
        let context = probabilities.matmul(vh)                                                 // [B, nh, T, T] x [B, nh, T, hs] -> [B, nh, T, hs]
        return context.transpose(1, 2).reshape([b, t, h])                                     // merge heads: [B, T, nh, hs] -> [B, T, H]
        // ANCHOR_END: attention
    }

    /// The same attention on the kernels: Q K^T and P V read each head where it lies in
    /// [B, T, H] (Kernels/AttentionHeads.swift: no split or merge copies), and scale, mask and
    /// softmax are one pass (`attentionSoftmax`). Equal to the plain path within 1e-6.
    func fusedAttention(_ q: Tensor, _ k: Tensor, _ v: Tensor, attentionMask: [Int]?) -> Tensor {
        let scores = attentionScores(q, k, heads: numAttentionHeads)                          // [B, T, H] x [B, T, H] -> [B, nh, T, T]
        let probabilities = attentionSoftmax(scores, keyMask: attentionMask, scale: 1 / Float(headSize).squareRoot())   // [B, nh, T, T]
        return attentionContext(dropout(probabilities), v)                                    // [B, nh, T, T] x [B, T, H] -> [B, T, H]
    }
}

/// The projection after attention and the first residual block, as `RobertaSelfOutput`:
/// LayerNorm(input + dropout(dense(attention output))), post-LN as in BERT and RoBERTa.
public final class RobertaSelfOutput: Module {
    @Replaceable public var dense: any LinearLayer
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

// MARK: Feed-forward, layer, encoder

/// The first half of the feed-forward block: H -> intermediateSize, then the activation.
public final class RobertaIntermediate: Module {
    @Replaceable public var dense: any LinearLayer
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
    @Replaceable public var dense: any LinearLayer
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

// MARK: The model and its heads

/// The RoBERTa encoder without a head, as Hugging Face's `RobertaModel(add_pooling_layer=False)`:
/// embeddings, then the encoder stack; one vector of size H per input token.
public final class RobertaModel: Module {
    public let embeddings: RobertaEmbeddings
    public let encoder: RobertaEncoder
    public let config: RobertaConfig

    public init(config: RobertaConfig, generator: Generator) {
        config.validate()
        embeddings = RobertaEmbeddings(config: config, generator: generator)
        encoder = RobertaEncoder(config: config, generator: generator)
        self.config = config
        super.init()
    }

    /// Token ids [B, T] -> hidden states [B, T, H].
    public func callAsFunction(inputIds: [Int], attentionMask: [Int]? = nil, shape: [Int]) -> Tensor {
        if shape.count != 2 || shape[0] * shape[1] != inputIds.count {
            fail("RobertaModel: \(inputIds.count) input ids do not fill shape \(show(shape)) (expected [batch, sequence length])")
        }
        if let attentionMask, attentionMask.count != inputIds.count {
            fail("RobertaModel: attention mask has \(attentionMask.count) entries for \(inputIds.count) input ids")
        }
        let hidden = embeddings(inputIds: inputIds, shape: shape)     // [B, T] -> [B, T, H]
        return encoder(hidden, attentionMask: attentionMask)          // [B, T, H]
    }
}

/// The masked-language-model head, as Hugging Face's `RobertaLMHead`:
/// dense -> gelu -> LayerNorm -> decoder, producing a score for every vocabulary word.
///
/// The decoder's weight IS the word-embedding matrix (`tie_word_embeddings`): the same
/// [vocab, H] tensor turns ids into vectors at the bottom and vectors into word scores at the
/// top, so a word's input and output representations are one, and the model has vocab x H
/// fewer parameters. Its gradient is the sum of both uses. The bias is the head's own
/// (`lm_head.bias`, which Hugging Face also ties to `lm_head.decoder.bias`).
public final class RobertaLMHead: Module {
    public let dense: Linear
    public let layer_norm: LayerNorm   // lower case here, as in Hugging Face's RobertaLMHead
    public let decoder: Linear         // weight tied to the word embeddings, bias tied to `bias`
    public let bias: Tensor            // [vocab]
    let config: RobertaConfig

    public init(config: RobertaConfig, wordEmbeddings: Tensor, generator: Generator) {
        dense = config.linear(config.hiddenSize, config.hiddenSize, generator: generator)
        layer_norm = config.layerNorm()
        decoder = Linear(inFeatures: config.hiddenSize, outFeatures: config.vocabSize, bias: false, generator: generator)
        bias = .zeros([config.vocabSize], requiresGrad: true)
        decoder.weight = wordEmbeddings   // tied: one tensor, two uses
        decoder.bias = bias
        self.config = config
        super.init()
    }

    public override func callAsFunction(_ features: Tensor) -> Tensor {
        let x = layer_norm(dense(features).gelu(approximate: .none))   // [B, T, H]
        return decoder(x)                                              // [B, T, H] -> [B, T, vocab]
    }
}

/// RoBERTa with the MLM head, as `RobertaForMaskedLM`: logits [B, T, vocab] for every position;
/// the loss is taken where the labels are not -100 (the masked positions).
public final class RobertaForMaskedLM: Module {
    public let roberta: RobertaModel
    public let lm_head: RobertaLMHead
    public var config: RobertaConfig { roberta.config }

    public init(config: RobertaConfig, generator: Generator) {
        roberta = RobertaModel(config: config, generator: generator)
        lm_head = RobertaLMHead(config: config, wordEmbeddings: roberta.embeddings.word_embeddings.weight, generator: generator)
        super.init()
    }

    /// Token ids [B, T] -> logits [B, T, vocab].
    public func callAsFunction(inputIds: [Int], attentionMask: [Int]? = nil, shape: [Int]) -> Tensor {
        lm_head(roberta(inputIds: inputIds, attentionMask: attentionMask, shape: shape))   // [B, T, H] -> [B, T, vocab]
    }

    /// The logits for a collated batch.
    public func callAsFunction(_ batch: MLMBatch) -> Tensor {
        self(inputIds: batch.inputIds, attentionMask: batch.attentionMask, shape: batch.shape)
    }
}

/// The sentence-classification head, as Hugging Face's `RobertaClassificationHead`: the vector
/// of the first token `<s>` (BERT's [CLS]) -> dropout -> dense -> tanh -> dropout -> out_proj.
///
/// Self-attention lets `<s>` gather from the whole sentence, so its final vector can stand for
/// the sentence; fine-tuning teaches it to.
public final class RobertaClassificationHead: Module {
    public let dense: Linear
    public let dropout: Dropout
    public let out_proj: Linear

    public init(config: RobertaConfig, generator: Generator) {
        dense = config.linear(config.hiddenSize, config.hiddenSize, generator: generator)
        dropout = Dropout(p: config.classifierDropout ?? config.hiddenDropoutProb, generator: generator)
        out_proj = config.linear(config.hiddenSize, config.numLabels, generator: generator)
        super.init()
    }

    public override func callAsFunction(_ features: Tensor) -> Tensor {
        let (b, h) = (features.shape[0], features.shape[2])
        var x = features.narrow(axis: 1, start: 0, length: 1).reshape([b, h])   // [B, T, H] -> [B, H], the <s> token
        x = dropout(x)
        x = dense(x).tanh()                                                     // [B, H]
        x = dropout(x)
        return out_proj(x)                                                      // [B, H] -> [B, numLabels]
    }
}

/// RoBERTa with a classification head, as `RobertaForSequenceClassification`: logits
/// [B, numLabels] per sentence, for `CrossEntropyLoss`.
public final class RobertaForSequenceClassification: Module {
    public let roberta: RobertaModel
    public let classifier: RobertaClassificationHead
    public var config: RobertaConfig { roberta.config }

    public init(config: RobertaConfig, generator: Generator) {
        roberta = RobertaModel(config: config, generator: generator)
        classifier = RobertaClassificationHead(config: config, generator: generator)
        super.init()
    }

    /// Token ids [B, T] -> logits [B, numLabels].
    public func callAsFunction(inputIds: [Int], attentionMask: [Int]? = nil, shape: [Int]) -> Tensor {
        classifier(roberta(inputIds: inputIds, attentionMask: attentionMask, shape: shape))   // [B, T, H] -> [B, numLabels]
    }
}
