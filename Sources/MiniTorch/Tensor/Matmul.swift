/// Matrix products, which Kernels/BLAS.swift hands to OpenBLAS's `cblas_sgemm`.
///
/// `a.matmul(b)` follows `torch.matmul` for the cases a transformer needs:
/// [m, k] x [k, n] -> [m, n]; [..., m, k] x [k, n] -> [..., m, n] (a weight shared by a batch);
/// [..., m, k] x [..., k, n] -> [..., m, n] (batched, same leading dimensions).
/// The backward needs A^T and B^T, which are passed to BLAS as transpose flags, not copied.
extension Tensor {
    public func matmul(_ other: Tensor) -> Tensor {
        if rank < 2 || other.rank < 2 || shape[rank - 1] != other.shape[other.rank - 2]
            || (other.rank > 2 && other.shape.dropLast(2) != shape.dropLast(2)) {
            let detail: String
            if rank < 2 || other.rank < 2 {
                detail = "both need at least 2 dimensions"
            } else if shape[rank - 1] != other.shape[other.rank - 2] {
                detail = "inner dimensions \(shape[rank - 1]) and \(other.shape[other.rank - 2]) differ"
            } else {
                detail = "batch dimensions \(show(Array(shape.dropLast(2)))) and \(show(Array(other.shape.dropLast(2)))) differ"
            }
            fail("matmul: \(show(shape)) x \(show(other.shape)): \(detail)")
        }
        let m = shape[rank - 2], k = shape[rank - 1], n = other.shape[other.rank - 1]
        let batch = shape.dropLast(2).reduce(1, *)
        var outShape = shape   // [..., m, k] -> [..., m, n]: self's array, copied only when n != k
        if n != k { outShape[rank - 1] = n }
        let out = Tensor(uninitializedShape: outShape)
        if other.rank == 2 {
            // A shared weight: fold the batch into the rows, one big GEMM.
            Tensor.gemm(false, false, batch * m, n, k, pointer, other.pointer, out.pointer, beta: 0)
        } else {
            for b in 0..<batch {
                Tensor.gemm(false, false, m, n, k, pointer + b * m * k, other.pointer + b * k * n, out.pointer + b * m * n, beta: 0)
            }
        }
        // Without a gradient to compute, skip the views and the closure: at n = 64 the product
        // takes ~6 µs and this bookkeeping would be a few percent of it.
        let needA = requiresGrad, needB = other.requiresGrad
        if !needA && !needB { return out }
        let (x, w) = (detach(), other.detach())
        out.recordBackward("matmul", from: [self, other]) { g in
            var ga: Tensor? = nil, gb: Tensor? = nil
            if needA {   // dA = dC x B^T
                let d = Tensor(uninitializedShape: x.shape)
                if w.rank == 2 {
                    Tensor.gemm(false, true, batch * m, k, n, g.pointer, w.pointer, d.pointer, beta: 0)
                } else {
                    for b in 0..<batch {
                        Tensor.gemm(false, true, m, k, n, g.pointer + b * m * n, w.pointer + b * k * n, d.pointer + b * m * k, beta: 0)
                    }
                }
                ga = d
            }
            if needB {   // dB = A^T x dC, summed over the batch when B is shared
                let d = Tensor(uninitializedShape: w.shape)
                if w.rank == 2 {
                    Tensor.gemm(true, false, k, n, batch * m, x.pointer, g.pointer, d.pointer, beta: 0)
                } else {
                    for b in 0..<batch {
                        Tensor.gemm(true, false, k, n, m, x.pointer + b * m * k, g.pointer + b * m * n, d.pointer + b * k * n, beta: 0)
                    }
                }
                gb = d
            }
            return [ga, gb]
        }
        return out
    }
}
