import MiniTorch

/// The smallest language model that still has the shape of a real one: each token is embedded,
/// passed through one hidden layer, and scored against the whole vocabulary to predict the next
/// token. It sees one token at a time (no attention), which keeps the lesson about the loss.
public final class NextTokenModel: Module {
    public let embedding: Embedding   // [vocab, embeddingDim]
    public let hidden: Linear         // embeddingDim -> hiddenSize
    public let head: Linear           // hiddenSize -> vocab

    public init(vocabSize: Int = SequenceCorpus.vocabSize, embeddingDim: Int = 32, hiddenSize: Int = 128,
                generator: Generator) {
        embedding = Embedding(numEmbeddings: vocabSize, embeddingDim: embeddingDim, generator: generator)
        hidden = Linear(inFeatures: embeddingDim, outFeatures: hiddenSize, generator: generator)
        head = Linear(inFeatures: hiddenSize, outFeatures: vocabSize, generator: generator)
        super.init()
    }

    /// Next-token logits for every position of the batch.
    public func callAsFunction(_ batch: PaddedBatch) -> Tensor {
        let x = embedding(batch.inputIDs, shape: [batch.batchSize, batch.length])   // [B, T, D]
        let h = hidden(x).relu()                                                     // [B, T, H]
        return head(h)                                                               // [B, T, V]
    }

    // ANCHOR: loss
    /// Cross-entropy of the batch's next-token predictions, padding skipped. With `.mean` it is
    /// the average over this batch's tokens; with `.sum` the total, for the caller to divide.
    public func loss(_ batch: PaddedBatch, reduction: Reduction = .mean) -> Tensor {
        let logits = self(batch)                                            // [B, T, V]
        let lossFunction = CrossEntropyLoss(ignoreIndex: -100, reduction: reduction)
        return lossFunction(logits.reshape([batch.batchSize * batch.length, -1]), batch.labels)   // -> []
    }
    // ANCHOR_END: loss
}
