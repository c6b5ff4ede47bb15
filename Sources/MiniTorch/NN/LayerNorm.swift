/// Layer normalization over the last axis, as `torch.nn.LayerNorm(normalizedShape)`:
/// y = (x - mean) / sqrt(var + eps) * weight + bias, with the biased variance (divide by n).
///
/// Forward and backward are each one loop over rows rather than a chain of small ops. With
/// xhat = (x - mean) * rstd and dxhat = dy * weight, the input gradient of a row of n values is
///     dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
/// (the two means are the gradient flowing through the row's mean and variance).
public final class LayerNorm: Module {
    public var weight: Tensor?   // [n], ones
    public var bias: Tensor?     // [n], zeros
    public let normalizedShape: Int
    public let eps: Float

    public init(_ normalizedShape: Int, eps: Float = 1e-5, elementwiseAffine: Bool = true) {
        if normalizedShape < 1 { fail("LayerNorm: normalizedShape must be at least 1 (got \(normalizedShape))") }
        self.normalizedShape = normalizedShape
        self.eps = eps
        weight = elementwiseAffine ? .ones([normalizedShape], requiresGrad: true) : nil
        bias = elementwiseAffine ? .zeros([normalizedShape], requiresGrad: true) : nil
        super.init()
    }

    public override func callAsFunction(_ x: Tensor) -> Tensor {
        let n = normalizedShape
        if x.rank < 1 || x.shape[x.rank - 1] != n {
            fail("LayerNorm: input \(show(x.shape)) must end in the normalized size \(n)")
        }
        let rows = x.count / n
        let out = Tensor(uninitializedShape: x.shape)
        let xhat = Tensor(uninitializedShape: x.shape)   // saved for backward
        let rstd = Tensor(uninitializedShape: [rows])
        let xp = x.pointer, op = out.pointer, hp = xhat.pointer, sp = rstd.pointer, eps = eps
        let wp = weight?.pointer, bp = bias?.pointer
        Parallel.forChunks(rows, cost: n) { chunk in   // rows are independent: split between threads
            for r in chunk {
                let xr = xp + r * n, hr = hp + r * n, orow = op + r * n
                var mean: Float = 0
                for j in 0..<n { mean += xr[j] }
                mean /= Float(n)
                var variance: Float = 0
                for j in 0..<n { let c = xr[j] - mean; variance += c * c }
                variance /= Float(n)
                let s = 1 / (variance + eps).squareRoot()
                sp[r] = s
                for j in 0..<n { hr[j] = (xr[j] - mean) * s }
                if let wp, let bp {   // the affine branch outside the loop keeps the loop vectorisable
                    for j in 0..<n { orow[j] = hr[j] * wp[j] + bp[j] }
                } else {
                    orow.update(from: hr, count: n)
                }
            }
        }
        let inputs = [x] + [weight, bias].compactMap { $0 }
        let w = weight?.detach()
        let needX = x.requiresGrad, needAffine = (weight?.requiresGrad ?? false) || (bias?.requiresGrad ?? false)
        out.recordBackward("layer_norm", from: inputs) { g in
            let gp = g.pointer, hp = xhat.pointer
            var dx: Tensor? = nil, dw: Tensor? = nil, db: Tensor? = nil
            if needX {
                let d = Tensor(uninitializedShape: xhat.shape)
                let dp = d.pointer, sp = rstd.pointer, wp = w?.pointer
                // dxhat = dy * weight (or dy), written into d first and then overwritten by dx.
                Parallel.forChunks(rows, cost: n) { chunk in
                    for r in chunk {
                        let gr = gp + r * n, hr = hp + r * n, dr = dp + r * n
                        if let wp {
                            for j in 0..<n { dr[j] = gr[j] * wp[j] }
                        } else {
                            dr.update(from: gr, count: n)
                        }
                        var meanD: Float = 0, meanDH: Float = 0
                        for j in 0..<n { meanD += dr[j]; meanDH += dr[j] * hr[j] }
                        meanD /= Float(n); meanDH /= Float(n)
                        let s = sp[r]
                        for j in 0..<n { dr[j] = s * (dr[j] - meanD - hr[j] * meanDH) }
                    }
                }
                dx = d
            }
            if needAffine && w != nil {   // dweight = sum over rows of dy * xhat, dbias = sum of dy
                let dWeight = Tensor.zeros([n]), dBias = Tensor.zeros([n])
                let dwp = dWeight.pointer, dbp = dBias.pointer
                // Split by columns, not rows: each column still adds its rows in order.
                Parallel.forChunks(n, cost: rows) { columns in
                    for r in 0..<rows {
                        let gr = gp + r * n, hr = hp + r * n
                        for j in columns { dwp[j] += gr[j] * hr[j]; dbp[j] += gr[j] }
                    }
                }
                dw = dWeight; db = dBias
            }
            return w == nil ? [dx] : [dx, dw, db]
        }
        return out
    }
}
