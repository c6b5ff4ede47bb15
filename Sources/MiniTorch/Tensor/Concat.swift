/// Joining tensors: `concat` along an existing axis, `stack` along a new one.
extension Tensor {
    /// Joins tensors along `axis`; all other dimensions must match, as `torch.cat(tensors, dim)`.
    /// Row-major layout makes this `outer` rounds of copying one block from each input in turn;
    /// the backward cuts the gradient into the same blocks.
    public static func concat(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        guard let first = tensors.first else { fail("concat: needs at least one tensor") }
        let ax = first.normalizeAxis(axis, op: "concat")
        for t in tensors.dropFirst() {
            var a = first.shape, b = t.shape
            if a.count == b.count { a[ax] = 0; b[ax] = 0 }
            if a != b {
                fail("concat: shapes \(show(first.shape)) and \(show(t.shape)) differ outside axis \(axis)")
            }
        }
        if tensors.count == 1 { return first }
        let sizes = tensors.map { $0.shape[ax] }
        let outer = first.shape[..<ax].reduce(1, *), inner = first.shape[(ax + 1)...].reduce(1, *)
        var outShape = first.shape
        outShape[ax] = sizes.reduce(0, +)               // [..., n1, ...] + [..., n2, ...] -> [..., n1 + n2, ...]
        let out = Tensor(uninitializedShape: outShape)
        let row = outShape[ax] * inner                  // elements of one outer step in the output
        var offset = 0
        for (t, n) in zip(tensors, sizes) {
            let block = n * inner, p = t.pointer, o = out.pointer + offset
            for i in 0..<outer { (o + i * row).update(from: p + i * block, count: block) }
            offset += block
        }
        let needs = tensors.map(\.requiresGrad), shapes = tensors.map(\.shape)
        out.recordBackward("concat", from: tensors) { g in
            var grads: [Tensor?] = []
            var offset = 0
            for (k, n) in sizes.enumerated() {
                let block = n * inner
                defer { offset += block }
                guard needs[k] else { grads.append(nil); continue }
                let dx = Tensor(uninitializedShape: shapes[k])
                let d = dx.pointer, gp = g.pointer + offset
                for i in 0..<outer { (d + i * block).update(from: gp + i * row, count: block) }
                grads.append(dx)
            }
            return grads
        }
        return out
    }

    /// Joins same-shaped tensors along a new axis, as `torch.stack(tensors, dim)`:
    /// n tensors of shape [a, b] stacked at axis 1 give [a, n, b].
    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        guard let first = tensors.first else { fail("stack: needs at least one tensor") }
        for t in tensors where t.shape != first.shape {
            fail("stack: shapes \(show(first.shape)) and \(show(t.shape)) differ; stacked tensors must have equal shapes")
        }
        let ax = axis < 0 ? axis + first.rank + 1 : axis
        if ax < 0 || ax > first.rank { fail("stack: axis \(axis) is out of range for tensors of shape \(show(first.shape))") }
        return concat(tensors.map { $0.unsqueeze(ax) }, axis: ax)   // each [..] -> [.., 1, ..]
    }
}
