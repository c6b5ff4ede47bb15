import MiniTorch

// ANCHOR: model
/// A bag-of-embeddings sentiment classifier: the mean of a review's word vectors, then a
/// classification head shaped like RoBERTa's (dense, tanh, out_proj) with two outputs.
///
/// Word order is ignored (PyTorch's `nn.EmbeddingBag(mode="mean")` does the same), which is enough
/// for reviews whose sentiment sits in single words. The head starts as Hugging Face starts a
/// fresh classification head: weights N(0, 0.02), biases 0, so every review begins near a
/// 50/50 guess and whatever the first updates learn decides the predictions.
public final class ReviewClassifier: Module {
    public let embeddings: Embedding
    public let dense: Linear
    public let outProj: Linear

    public init(vocabSize: Int, hiddenSize: Int, numLabels: Int, generator: Generator) {
        embeddings = Embedding(numEmbeddings: vocabSize, embeddingDim: hiddenSize, generator: generator,
                               paddingIdx: WordTokenizer.padID)
        dense = Linear(inFeatures: hiddenSize, outFeatures: hiddenSize, generator: generator)
        outProj = Linear(inFeatures: hiddenSize, outFeatures: numLabels, generator: generator)
        super.init()
        for layer in [dense, outProj] {
            layer.weight.copyFrom(.normal(layer.weight.shape, std: 0.02, generator: generator))
            layer.bias!.copyFrom(.zeros(layer.bias!.shape))
        }
    }

    /// Logits [B, numLabels] for a batch of padded reviews.
    public func callAsFunction(_ batch: ReviewBatch) -> Tensor {
        let b = batch.count, l = batch.ids.count / Swift.max(b, 1)
        let vectors = embeddings(batch.ids, shape: [b, l])             // [B, L] -> [B, L, H]
        let lengths = Tensor(batch.lengths.map(Float.init), shape: [b, 1])
        let mean = vectors.sum(axis: 1) / lengths                      // [B, L, H] -> [B, H]; <pad> rows are 0
        return outProj(dense(mean).tanh())                             // [B, H] -> [B, numLabels]
    }
}
// ANCHOR_END: model
