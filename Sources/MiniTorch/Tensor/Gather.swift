/// Picking one entry along an axis for every output position, as `torch.gather(x, dim, index)`:
/// out[i][j][k] = x[i][index[i][j][k]][k] for axis 1. Cross-entropy uses it to read the
/// log-probability of each target: `logProbs.gather(axis: 1, index: targets, shape: [N, 1])`.
extension Tensor {
    /// `index` holds, in row-major order, the position along `axis` for each element of the
    /// output, whose shape is `shape` (the index tensor's shape in PyTorch). `shape` must have
    /// this tensor's rank and no larger size on the other axes. Without `shape`, the output is
    /// this tensor's shape with `axis` resized to fit `index.count`.
    public func gather(axis: Int, index: [Int], shape outShape: [Int]? = nil) -> Tensor {
        let ax = normalizeAxis(axis, op: "gather")
        let others = count / Swift.max(shape[ax], 1)
        var target = shape
        if let outShape { target = outShape } else if others > 0 { target[ax] = index.count / others }
        if target.count != rank || target.reduce(1, *) != index.count
            || zip(target, shape).enumerated().contains(where: { $0.offset != ax && $0.element.0 > $0.element.1 }) {
            fail("gather: \(index.count) indices in shape \(show(target)) do not fit input \(show(shape)) along axis \(axis)")
        }
        let size = shape[ax]
        for i in index where i < 0 || i >= size {
            fail("gather: index \(i) is out of range for axis \(axis) of size \(size) in \(show(shape))")
        }
        let out = Tensor(uninitializedShape: target)
        let o = out.pointer, p = pointer
        // Each output element's source offset: the output's index with the axis entry replaced.
        let sourceOffsets = Tensor.gatherOffsets(target, inputStrides: Tensor.strides(of: shape), axis: ax, index: index)
        for (i, src) in sourceOffsets.enumerated() { o[i] = p[src] }
        let s = shape
        out.recordBackward("gather", from: [self]) { g in
            let dx = Tensor.zeros(s)
            let d = dx.pointer, gp = g.pointer
            for (i, src) in sourceOffsets.enumerated() { d[src] += gp[i] }   // scatter_add
            return [dx]
        }
        return out
    }

    private static func gatherOffsets(_ target: [Int], inputStrides: [Int], axis: Int, index: [Int]) -> [Int] {
        var offsets = [Int](repeating: 0, count: index.count)
        var position = [Int](repeating: 0, count: target.count)
        for i in 0..<index.count {
            var offset = 0
            for d in 0..<target.count { offset += (d == axis ? index[i] : position[d]) * inputStrides[d] }
            offsets[i] = offset
            var d = target.count - 1
            while d >= 0 {
                position[d] += 1
                if position[d] < target[d] { break }
                position[d] = 0
                d -= 1
            }
        }
        return offsets
    }
}
