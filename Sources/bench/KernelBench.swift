import Foundation
import MiniTorch

/// Memory-bound ops against a plain Swift loop doing the same work over the same buffers,
/// timed alternately in the same run. GB/s counts the bytes each op must read and write once.
/// Graph recording is off because the inputs do not require grad.
extension Report {
    mutating func kernels(quick: Bool) {
        let g = Generator(seed: 2)
        let n = 1 << 20
        let a = Tensor.randn([n], generator: g), b = Tensor.randn([n], generator: g)
        let rows = Tensor.randn([1024, 1024], generator: g)       // softmax, sum: 1024 rows of 1024
        let hidden = Tensor.randn([4096, 256], generator: g)      // layer norm: tokens x H
        let logits = Tensor.randn([2048, 1000], generator: g)     // cross-entropy: tokens x vocab
        let targets = (0..<2048).map { _ in g.int(below: 1000) }
        let layerNorm = LayerNorm(256)
        let out = Tensor.zeros([n])
        let repeats = quick ? 5 : 20
        table("Memory-bound ops against a plain loop over the same buffers (1 thread)",
              ["op", "size", "plain loop GB/s", "MiniTorch GB/s", "ratio"])
        func measure(_ name: String, _ size: String, bytes: Double, plain: () -> Void, tensor: () -> Void) {
            let (tPlain, tTensor) = interleaved(rounds: 3, repeats: repeats, plain, tensor)
            row([name, size, fmt(bytes / tPlain / 1e9, 1), fmt(bytes / tTensor / 1e9, 1), fmt(tPlain / tTensor)])
            json["\(name)_gbps"] = bytes / tTensor / 1e9
            json["\(name)_plain_gbps"] = bytes / tPlain / 1e9
        }
        let (pa, pb, po) = (a.pointer, b.pointer, out.pointer)
        let fn = Double(n)
        measure("add", "1M", bytes: 12 * fn, plain: { for i in 0..<n { po[i] = pa[i] + pb[i] } }, tensor: { _ = a + b })
        measure("mul", "1M", bytes: 12 * fn, plain: { for i in 0..<n { po[i] = pa[i] * pb[i] } }, tensor: { _ = a * b })
        measure("exp", "1M", bytes: 8 * fn, plain: { for i in 0..<n { po[i] = Foundation.exp(pa[i]) } }, tensor: { _ = a.exp() })
        measure("gelu", "1M", bytes: 8 * fn, plain: {
            for i in 0..<n { let x = pa[i]; po[i] = 0.5 * x * (1 + Foundation.erf(x * 0.70710678)) }
        }, tensor: { _ = a.gelu() })
        let pr = rows.pointer
        measure("sum_rows", "1024 x 1024", bytes: 4 * fn, plain: {
            for r in 0..<1024 {
                var s: Float = 0
                for j in 0..<1024 { s += pr[r * 1024 + j] }
                po[r] = s
            }
        }, tensor: { _ = rows.sum(axis: -1) })
        measure("softmax", "1024 x 1024", bytes: 8 * fn, plain: {
            for r in 0..<1024 {
                let x = pr + r * 1024, y = po + r * 1024
                var m = -Float.infinity
                for j in 0..<1024 { m = max(m, x[j]) }
                var s: Float = 0
                for j in 0..<1024 { y[j] = Foundation.exp(x[j] - m); s += y[j] }
                let inv = 1 / s
                for j in 0..<1024 { y[j] *= inv }
            }
        }, tensor: { _ = rows.softmax(axis: -1) })
        let ph = hidden.pointer
        measure("layer_norm", "4096 x 256", bytes: 8 * fn, plain: {
            for r in 0..<4096 {
                let x = ph + r * 256, y = po + r * 256
                var mean: Float = 0
                for j in 0..<256 { mean += x[j] }
                mean /= 256
                var v: Float = 0
                for j in 0..<256 { let c = x[j] - mean; v += c * c }
                let s = 1 / (v / 256 + 1e-5).squareRoot()
                for j in 0..<256 { y[j] = (x[j] - mean) * s }
            }
        }, tensor: { _ = layerNorm(hidden) })
        let pl = logits.pointer
        measure("cross_entropy", "2048 x 1000", bytes: 4 * 2048 * 1000, plain: {
            var total: Float = 0
            for r in 0..<2048 {
                let x = pl + r * 1000
                var m = -Float.infinity
                for j in 0..<1000 { m = max(m, x[j]) }
                var s: Float = 0
                for j in 0..<1000 { s += Foundation.exp(x[j] - m) }
                total += m + Foundation.log(s) - x[targets[r]]
            }
            po[0] = total / 2048
        }, tensor: { _ = crossEntropy(logits, targets) })
        print()
    }
}
