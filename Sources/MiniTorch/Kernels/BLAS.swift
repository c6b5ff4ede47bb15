import COpenBLAS

// Speeds up: every matrix product (matmul, Linear, attention, LoRA's delta weight).
// Must equal: the triple loop C[i, j] = sum_p A[i, p] B[p, j], up to float rounding (OpenBLAS sums
// in its own blocked order, ~1e-6 relative).

extension Tensor {
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
