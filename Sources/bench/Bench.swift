// make bench: MiniTorch's speed as ratios against references measured in the same run.
// Timings are medians of repeated runs after warm-up; machines are shared and noisy, so only
// the ratios mean much.
import COpenBLAS
import Foundation
import MiniTorch

/// Median wall time of `body` in seconds over `repeats` runs after `warmup` runs.
func median(repeats: Int, warmup: Int = 2, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
    }
    return times.sorted()[times.count / 2]
}

func fmt(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

struct Bench {
    var json: [String: Double] = [:]

    mutating func matmul() {
        print("Tensor.matmul against raw cblas_sgemm (1 thread, same buffers)")
        print("| n | sgemm GFLOP/s | matmul GFLOP/s | ratio |")
        print("|---:|---:|---:|---:|")
        BLAS.setThreads(1)
        let g = Generator(seed: 1)
        var worst = Double.infinity
        for n in [64, 128, 256, 512, 1024] {
            let a = Tensor.randn([n, n], generator: g), b = Tensor.randn([n, n], generator: g)
            let c = Tensor.zeros([n, n])
            let repeats = n >= 512 ? 10 : 50
            let flops = 2 * Double(n * n * n)
            // Interleave the two so that machine noise hits both alike.
            var raw: [Double] = [], wrapped: [Double] = []
            for _ in 0..<5 {
                raw.append(median(repeats: repeats) {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n),
                                1, a.pointer, Int32(n), b.pointer, Int32(n), 0, c.pointer, Int32(n))
                })
                wrapped.append(median(repeats: repeats) { _ = noGrad { a.matmul(b) } })
            }
            let tRaw = raw.sorted()[2], tWrapped = wrapped.sorted()[2]
            let ratio = tRaw / tWrapped
            worst = min(worst, ratio)
            print("| \(n) | \(fmt(flops / tRaw / 1e9, 1)) | \(fmt(flops / tWrapped / 1e9, 1)) | \(fmt(ratio)) |")
            json["matmul_ratio_\(n)"] = ratio
        }
        json["matmul_ratio_min"] = worst
        print("worst ratio: \(fmt(worst)) (target >= 0.95)\n")
    }

    mutating func elementwise() {
        let n = 1 << 20
        let g = Generator(seed: 2)
        let a = Tensor.randn([n], generator: g), b = Tensor.randn([n], generator: g)
        let rows = Tensor.randn([1024, 1024], generator: g)
        let out = Tensor.zeros([n])
        print("Element-wise throughput over 1M floats, against a plain loop over the same buffers")
        print("| op | plain loop GB/s | MiniTorch GB/s | ratio |")
        print("|---|---:|---:|---:|")
        func row(_ name: String, bytes: Double, plain: () -> Void, tensor: () -> Void) {
            let tPlain = median(repeats: 30, plain), tTensor = median(repeats: 30, tensor)
            print("| \(name) | \(fmt(bytes / tPlain / 1e9, 1)) | \(fmt(bytes / tTensor / 1e9, 1)) | \(fmt(tPlain / tTensor)) |")
            json["\(name)_gbps"] = bytes / tTensor / 1e9
        }
        let (pa, pb, po) = (a.pointer, b.pointer, out.pointer)
        row("add", bytes: 12 * Double(n), plain: { for i in 0..<n { po[i] = pa[i] + pb[i] } }, tensor: { _ = noGrad { a + b } })
        row("mul", bytes: 12 * Double(n), plain: { for i in 0..<n { po[i] = pa[i] * pb[i] } }, tensor: { _ = noGrad { a * b } })
        row("exp", bytes: 8 * Double(n), plain: { for i in 0..<n { po[i] = Foundation.exp(pa[i]) } }, tensor: { _ = noGrad { a.exp() } })
        let pr = rows.pointer
        row("softmax", bytes: 8 * Double(n), plain: {
            for r in 0..<1024 {
                let x = pr + r * 1024, y = po + r * 1024
                var m = -Float.infinity
                for j in 0..<1024 { m = max(m, x[j]) }
                var s: Float = 0
                for j in 0..<1024 { y[j] = Foundation.exp(x[j] - m); s += y[j] }
                for j in 0..<1024 { y[j] /= s }
            }
        }, tensor: { _ = noGrad { rows.softmax(axis: -1) } })
        print()
    }
}

@main
struct BenchMain {
    static func main() throws {
        var bench = Bench()
        bench.matmul()
        bench.elementwise()
        let dir = URL(fileURLWithPath: "book/build/bench")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let data = try JSONSerialization.data(withJSONObject: bench.json, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: dir.appendingPathComponent("bench.json"), options: .atomic)
        print("wrote book/build/bench/bench.json")
    }
}
