/// Cutting a tensor into pieces along an axis (each piece a `narrow`, so each is differentiable).
extension Tensor {
    /// Pieces of `splitSize` entries along `axis` (the last may be shorter), as
    /// `torch.split(x, split_size, dim)`.
    public func split(_ splitSize: Int, axis: Int = 0) -> [Tensor] {
        let ax = normalizeAxis(axis, op: "split")
        if splitSize <= 0 { fail("split: split size must be positive, got \(splitSize)") }
        let n = shape[ax]
        return stride(from: 0, to: n, by: splitSize).map { narrow(axis: ax, start: $0, length: Swift.min(splitSize, n - $0)) }
    }

    /// Pieces of the given sizes along `axis`, which must add up to its size, as
    /// `torch.split(x, [s1, s2, ...], dim)`.
    public func split(sizes: [Int], axis: Int = 0) -> [Tensor] {
        let ax = normalizeAxis(axis, op: "split")
        if sizes.reduce(0, +) != shape[ax] || sizes.contains(where: { $0 < 0 }) {
            fail("split: sizes \(sizes) do not add up to size \(shape[ax]) of axis \(axis) in \(show(shape))")
        }
        var start = 0
        return sizes.map { n in defer { start += n }; return narrow(axis: ax, start: start, length: n) }
    }

    /// `chunks` nearly equal pieces along `axis`, as `torch.chunk(x, chunks, dim)`: each has
    /// ceil(size / chunks) entries except perhaps the last (so there may be fewer pieces).
    public func chunk(_ chunks: Int, axis: Int = 0) -> [Tensor] {
        let ax = normalizeAxis(axis, op: "chunk")
        if chunks <= 0 { fail("chunk: number of chunks must be positive, got \(chunks)") }
        return split(Swift.max(1, (shape[ax] + chunks - 1) / chunks), axis: ax)
    }
}
