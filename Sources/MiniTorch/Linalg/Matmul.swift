import COpenBLAS

/// Matrix products on OpenBLAS's `cblas_sgemm`.
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

    /// C[m, n] = op(A) op(B) + beta C, row-major, where op transposes when asked.
    /// A is [m, k] (or [k, m] when transposed), B is [k, n] (or [n, k]).
    static func gemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int,
                     _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, beta: Float) {
        gemm(transA, transB, m, n, k, a, lda: transA ? m : k, b, ldb: transB ? k : n, c, ldc: n, beta: beta)
    }

    /// The same product on matrices that are blocks of wider ones. `lda`, `ldb` and `ldc` are
    /// each matrix's row stride as stored (BLAS's "leading dimension"): one attention head's
    /// [T, hs] columns of a [T, H] tensor are a matrix with rows H apart, so ld = H.
    static func gemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int,
                     _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                     _ c: UnsafeMutablePointer<Float>, ldc: Int, beta: Float) {
        if m == 0 || n == 0 { return }
        if k == 0 {   // an empty sum: nothing to add to C
            if beta == 0 { for row in 0..<m { (c + row * ldc).update(repeating: 0, count: n) } }
            return
        }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

/// How many threads OpenBLAS uses (benchmarks compare 1 and 2; tests pin it for determinism).
public enum BLAS {
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
    public static var threads: Int { Int(openblas_get_num_threads()) }
}
