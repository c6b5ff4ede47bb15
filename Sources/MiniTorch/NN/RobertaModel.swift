/// The RoBERTa encoder without a head, as Hugging Face's `RobertaModel(add_pooling_layer=False)`:
/// embeddings, then the encoder stack; one vector of size H per input token.
///
/// Model classes in this family take flat token ids with their `shape` [B, T] (as `Embedding`
/// does) and an optional attention mask [B, T] (1 real token, 0 padding; nil means all real,
/// Hugging Face's default).
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
