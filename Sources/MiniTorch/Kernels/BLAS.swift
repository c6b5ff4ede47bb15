import COpenBLAS
import Dispatch
import Synchronization

// Speeds up: every matrix product (matmul, Linear, attention, LoRA's delta weight), on one thread
// or with its rows shared between two.
// Must equal: the triple loop C[i, j] = sum_p A[i, p] B[p, j], up to float rounding (OpenBLAS sums
// in its own blocked order, ~1e-6 relative; ParallelLoopsTests.matrixProducts).

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
                     _ c: UnsafeMutablePointer<Float>, ldc: Int, beta: Float, split: Bool = true) {
        if m == 0 || n == 0 { return }
        if k == 0 {   // an empty sum: nothing to add to C
            if beta == 0 { for row in 0..<m { (c + row * ldc).update(repeating: 0, count: n) } }
            return
        }
        // Rows of C split between threads, each a single-threaded product of its own rows. OpenBLAS
        // picks its blocking by the shape it is given, so a half-height product may sum a few
        // C[i, j] in another order: two threads agree with one to float rounding (~1e-6
        // relative), and with two threads every run splits the same way, so gives the same bits.
        // (`split` first: attention's many per-head products skip reading the thread count.)
        if split, case let chunks = Swift.min(m / BLAS.minimumRows, m * n * k / BLAS.minimumWork, BLAS.splitThreads), chunks > 1 {
            nonisolated(unsafe) let (a, b, c) = (a, b, c)
            DispatchQueue.concurrentPerform(iterations: chunks) { i in
                let first = m * i / chunks, rows = m * (i + 1) / chunks - first
                // Row `first` of op(A): A's row when A is as stored, A's column when transposed.
                cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                            Int32(rows), Int32(n), Int32(k), 1, a + (transA ? first : first * lda), Int32(lda),
                            b, Int32(ldb), beta, c + first * ldc, Int32(ldc))
            }
            return
        }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

/// How many threads MiniTorch computes with (benchmarks compare 1 and 2; tests pin 1). OpenBLAS
/// itself always runs on one: `gemm` shares a product's rows between MiniTorch's threads, which
/// also run the element-wise loops (`Parallel`), so one pool of threads does all the work and
/// none spins waiting for the other's.
public enum BLAS {
    private static let count = Atomic<Int>(0)
    /// Fewer rows or multiply-adds than this per thread and a product stays on one thread.
    static let minimumRows = 16
    static let minimumWork = 1 << 19

    public static func setThreads(_ n: Int) {
        openblas_set_num_threads(1)
        count.store(Swift.max(1, n), ordering: .relaxed)
    }

    /// The count set by `setThreads`; before any, OpenBLAS's own (OPENBLAS_NUM_THREADS).
    public static var threads: Int {
        let n = count.load(ordering: .relaxed)
        return n > 0 ? n : Int(openblas_get_num_threads())
    }

    /// Runs `body` with `n` threads in this task only (tests comparing one thread with two, while
    /// the tests beside them keep theirs).
    public static func withThreads<T>(_ n: Int, _ body: () throws -> T) rethrows -> T {
        try Parallel.$threadsOverride.withValue(n, operation: body)
    }

    /// Threads `gemm` splits a product between: `Parallel`'s, once `setThreads` (or a test's
    /// override) has set them; before that OpenBLAS threads its products itself.
    static var splitThreads: Int {
        count.load(ordering: .relaxed) > 0 || Parallel.threadsOverride > 0 ? Parallel.threads : 1
    }
}
