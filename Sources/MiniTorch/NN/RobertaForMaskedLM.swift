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
