/// Reshape keeps the row-major order of elements, so it shares storage and copies nothing.
extension Tensor {
    /// The same elements in a new shape; one dimension may be -1 (inferred), as `x.reshape(...)`.
    public func reshape(_ newShape: [Int]) -> Tensor {
        var target = newShape
        if let unknown = target.firstIndex(of: -1) {
            let known = target.enumerated().filter { $0.offset != unknown }.map(\.element).reduce(1, *)
            if known == 0 || count % known != 0 { fail("reshape: cannot infer -1 in \(show(newShape)) for \(count) elements of \(show(shape))") }
            target[unknown] = count / known
        }
        if target.reduce(1, *) != count || target.contains(where: { $0 < 0 }) {
            fail("reshape: shape \(show(shape)) (\(count) elements) cannot become \(show(newShape))")
        }
        if target == shape { return self }
        let out = Tensor(storage: storage, shape: target)
        let s = shape
        out.recordBackward("reshape", from: [self]) { g in [g.reshape(s)] }
        return out
    }

    /// Collapses everything from `startAxis` on into one axis, as `torch.flatten(x, start_dim)`.
    public func flatten(startAxis: Int = 0) -> Tensor {
        let a = normalizeAxis(startAxis, op: "flatten")
        return reshape(Array(shape[..<a]) + [shape[a...].reduce(1, *)])
    }

    /// Swaps the last two axes (a matrix transpose, batched over leading axes), as `x.mT`.
    public func transposed() -> Tensor {
        if rank < 2 { fail("transposed: needs at least 2 dimensions, got \(show(shape))") }
        return transpose(rank - 2, rank - 1)
    }
}
