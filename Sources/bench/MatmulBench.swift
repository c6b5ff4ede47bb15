import COpenBLAS
import MiniTorch

/// Tensor.matmul against the cblas_sgemm call it wraps, on the same buffers, one thread.
/// The wrapper adds a shape check, an output allocation and the autograd bookkeeping; at n = 64
/// the product itself takes only ~6 µs, so that overhead is what the ratio shows.
extension Report {
    mutating func matmul(quick: Bool) {
        BLAS.setThreads(1)
        let g = Generator(seed: 1)
        var worst = Double.infinity
        table("Tensor.matmul against raw cblas_sgemm (1 thread, same buffers; batched: 4 products)",
              ["n", "sgemm GFLOP/s", "matmul GFLOP/s", "ratio", "batched sgemm GFLOP/s", "batched matmul GFLOP/s", "batched ratio"])
        for n in [64, 128, 256, 512, 1024] {
            let batch = 4
            let a = Tensor.randn([batch, n, n], generator: g), b = Tensor.randn([batch, n, n], generator: g)
            let a2 = a.narrow(axis: 0, start: 0, length: 1).reshape([n, n]).clone()
            let b2 = b.narrow(axis: 0, start: 0, length: 1).reshape([n, n]).clone()
            let c = Tensor.zeros([batch, n, n])
            let flops = 2 * Double(n * n * n)
            let repeats = quick ? (n >= 512 ? 2 : 10) : (n >= 512 ? 5 : 40)
            let rounds = quick ? 3 : 5
            let n32 = Int32(n)
            // The graph is off (as under noGrad) through a parameter, not a task-local scope,
            // so the timing is the op alone: inputs without requiresGrad record nothing.
            let (raw, wrapped) = interleaved(rounds: rounds, repeats: repeats, {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n32, n32, n32, 1, a2.pointer, n32, b2.pointer, n32, 0, c.pointer, n32)
            }, { _ = a2.matmul(b2) })
            let (rawBatched, wrappedBatched) = interleaved(rounds: rounds, repeats: max(1, repeats / 2), {
                for i in 0..<batch {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n32, n32, n32, 1, a.pointer + i * n * n, n32,
                                b.pointer + i * n * n, n32, 0, c.pointer + i * n * n, n32)
                }
            }, { _ = a.matmul(b) })
            let ratio = raw / wrapped, ratioBatched = rawBatched / wrappedBatched
            worst = min(worst, ratio, ratioBatched)
            row(["\(n)", fmt(flops / raw / 1e9, 1), fmt(flops / wrapped / 1e9, 1), fmt(ratio),
                 fmt(Double(batch) * flops / rawBatched / 1e9, 1), fmt(Double(batch) * flops / wrappedBatched / 1e9, 1), fmt(ratioBatched)])
            json["matmul_ratio_\(n)"] = ratio
            json["batched_matmul_ratio_\(n)"] = ratioBatched
            json["sgemm_gflops_\(n)"] = flops / raw / 1e9
        }
        json["matmul_ratio_min"] = worst
        note("Worst ratio: \(fmt(worst)) (target >= 0.95).")
        print()
    }
}
