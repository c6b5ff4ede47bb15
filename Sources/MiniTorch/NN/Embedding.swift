/// A lookup table of vectors, one row per token id, as `torch.nn.Embedding`.
///
/// The forward copies rows; the backward adds each position's gradient into the row it read, so
/// a token that appears five times in a batch gets five contributions.
public final class Embedding: Module {
    public var weight: Tensor   // [numEmbeddings, embeddingDim]
    public let numEmbeddings: Int
    public let embeddingDim: Int
    /// A row that stays zero and gets no gradient (the `<pad>` token), as `padding_idx`.
    public let paddingIdx: Int?

    /// PyTorch's init: N(0, 1), with the padding row zeroed.
    public init(numEmbeddings: Int, embeddingDim: Int, generator: Generator, paddingIdx: Int? = nil) {
        if numEmbeddings < 1 || embeddingDim < 1 {
            fail("Embedding: numEmbeddings and embeddingDim must be at least 1 (got \(numEmbeddings), \(embeddingDim))")
        }
        var padding = paddingIdx
        if let p = paddingIdx {   // PyTorch accepts a negative index counted from the end
            if p >= numEmbeddings || p < -numEmbeddings {
                fail("Embedding: paddingIdx \(p) is out of range for \(numEmbeddings) embeddings")
            }
            padding = p < 0 ? p + numEmbeddings : p
        }
        self.numEmbeddings = numEmbeddings
        self.embeddingDim = embeddingDim
        self.paddingIdx = padding
        weight = .randn([numEmbeddings, embeddingDim], generator: generator, requiresGrad: true)
        if let padding { (weight.pointer + padding * embeddingDim).update(repeating: 0, count: embeddingDim) }
        super.init()
    }

    /// Looks up `ids` laid out as `shape` (e.g. [batch, seqLen]); returns shape + [embeddingDim].
    public func callAsFunction(_ ids: [Int], shape: [Int]? = nil) -> Tensor {
        let shape = shape ?? [ids.count]
        if shape.reduce(1, *) != ids.count {
            fail("Embedding: \(ids.count) ids do not fill shape \(show(shape))")
        }
        let (n, d) = (numEmbeddings, embeddingDim)
        for (position, id) in ids.enumerated() where id < 0 || id >= n {
            fail("Embedding: id \(id) at position \(position) is out of range for \(n) embeddings (valid ids are 0..<\(n))")
        }
        let out = Tensor(uninitializedShape: shape + [d])   // [...] -> [..., dim]
        let w = weight.pointer, o = out.pointer
        for (position, id) in ids.enumerated() { (o + position * d).update(from: w + id * d, count: d) }
        let padding = paddingIdx
        out.recordBackward("embedding", from: [weight]) { g in
            let dw = Tensor.zeros([n, d])
            let dp = dw.pointer, gp = g.pointer
            for (position, id) in ids.enumerated() where id != padding {
                let src = gp + position * d, dst = dp + id * d
                for j in 0..<d { dst[j] += src[j] }
            }
            return [dw]
        }
        return out
    }
}
