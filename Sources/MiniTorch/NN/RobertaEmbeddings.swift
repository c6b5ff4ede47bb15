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
