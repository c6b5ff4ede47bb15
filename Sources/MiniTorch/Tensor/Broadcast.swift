/// NumPy-style broadcasting: shapes are aligned from the right, and a dimension of 1 (or a
/// missing one) stretches to match the other. `[32, 10] + [10]` adds the row to every row.
extension Tensor {
    static func broadcastShape(_ a: [Int], _ b: [Int], op: String) -> [Int] {
        let rank = Swift.max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da != db && da != 1 && db != 1 {
                fail("\(op): shapes \(show(a)) and \(show(b)) cannot be broadcast (dimension \(i): \(da) vs \(db))")
            }
            out[i] = da == 1 ? db : da
        }
        return out
    }

    /// Strides to read a tensor of `shape` as if it had `outShape`: 0 along broadcast dimensions.
    static func broadcastStrides(_ shape: [Int], to outShape: [Int]) -> [Int] {
        let own = strides(of: shape)
        let offset = outShape.count - shape.count
        return (0..<outShape.count).map { i in
            i < offset || shape[i - offset] == 1 ? 0 : own[i - offset]
        }
    }

    /// Visits every element of `outShape`, passing the flat offsets into two broadcast inputs.
    /// The innermost axis runs as a tight loop with constant strides.
    @inline(__always)
    static func forEachBroadcast(_ outShape: [Int], _ sa: [Int], _ sb: [Int], _ body: (_ out: Int, _ a: Int, _ b: Int, _ n: Int, _ strideA: Int, _ strideB: Int) -> Void) {
        let rank = outShape.count
        let total = outShape.reduce(1, *)
        if total == 0 { return }
        if rank == 0 { body(0, 0, 0, 1, 0, 0); return }
        let inner = outShape[rank - 1]
        let ia = sa[rank - 1], ib = sb[rank - 1]
        var index = [Int](repeating: 0, count: rank - 1)
        var offA = 0, offB = 0, out = 0
        while out < total {
            body(out, offA, offB, inner, ia, ib)
            out += inner
            // Advance the outer index like an odometer, keeping both offsets in step.
            var d = rank - 2
            while d >= 0 {
                index[d] += 1; offA += sa[d]; offB += sb[d]
                if index[d] < outShape[d] { break }
                offA -= sa[d] * outShape[d]; offB -= sb[d] * outShape[d]
                index[d] = 0
                d -= 1
            }
        }
    }

    /// Applies `f` element-wise over the broadcast of `self` and `other`.
    @inline(__always)
    func zipBroadcast(_ other: Tensor, op: String, _ f: (Float, Float) -> Float) -> Tensor {
        let a = pointer, b = other.pointer
        if shape == other.shape {
            let out = Tensor(uninitializedShape: shape)
            let o = out.pointer
            for i in 0..<count { o[i] = f(a[i], b[i]) }
            return out
        }
        if other.count == 1 && other.rank <= rank {
            let out = Tensor(uninitializedShape: shape)
            let o = out.pointer, s = b[0]
            for i in 0..<count { o[i] = f(a[i], s) }
            return out
        }
        let outShape = Tensor.broadcastShape(shape, other.shape, op: op)
        let out = Tensor(uninitializedShape: outShape)
        let o = out.pointer
        Tensor.forEachBroadcast(outShape, Tensor.broadcastStrides(shape, to: outShape), Tensor.broadcastStrides(other.shape, to: outShape)) { start, offA, offB, n, ia, ib in
            for j in 0..<n { o[start + j] = f(a[offA + j * ia], b[offB + j * ib]) }
        }
        return out
    }

    /// Sums a broadcast gradient back down to `target` shape: the backward of broadcasting.
    public func sumTo(_ target: [Int]) -> Tensor {
        if target == shape { return self }
        let out = Tensor.zeros(target)
        let o = out.pointer, g = pointer
        let zero = [Int](repeating: 0, count: rank)
        Tensor.forEachBroadcast(shape, zero, Tensor.broadcastStrides(target, to: shape)) { start, _, offT, n, _, it in
            for j in 0..<n { o[offT + j * it] += g[start + j] }
        }
        return out
    }
}
