import Foundation
import Testing
@testable import MiniTorch

/// Loops split between threads (Kernels/Parallel.swift) give the same numbers, bit for bit, as
/// on one thread: each op below runs, on sizes above the grain, once with the loops on one
/// thread and once on two, forward and backward.
@Suite("Parallel loops", .serialized)
struct ParallelLoopsTests {
    /// `run`'s results with the loops on one thread and on two.
    static func oneAndTwoThreads(_ run: () -> [[Float]]) -> (one: [[Float]], two: [[Float]]) {
        func with(_ threads: Int) -> [[Float]] { Parallel.$threadsOverride.withValue(threads, operation: run) }
        return (with(1), with(2))
    }

    /// A fresh leaf copy of `x` that collects a gradient.
    static func leaf(_ x: Tensor) -> Tensor {
        let t = x.clone()
        t.requiresGrad = true
        return t
    }

    @Test func chunksCoverTheRangeOnce() {
        let seen = UnsafeMutablePointer<Int>.allocate(capacity: 100_000)
        seen.initialize(repeating: 0, count: 100_000)
        defer { seen.deallocate() }
        var calls = 0
        _ = Self.oneAndTwoThreads {
            Parallel.forChunks(100_000) { chunk in for i in chunk { seen[i] += 1 } }
            Parallel.forChunks(1000) { _ in calls += 1 }   // below the grain: one chunk, this thread
            return []
        }
        #expect((0..<100_000).allSatisfy { seen[$0] == 2 })
        #expect(calls == 2)
    }

    @Test func causalAttentionSoftmax() {
        let input = Tensor.randn([8, 4, 64, 64], generator: Generator(seed: 15))
        let upstream = Tensor.randn([8, 4, 64, 64], generator: Generator(seed: 16))
        let (one, two) = Self.oneAndTwoThreads {
            let x = Self.leaf(input)
            let y = MiniTorch.causalAttentionSoftmax(x, scale: 0.125)
            y.backward(gradient: upstream)
            return [y.scalars, x.grad!.scalars]
        }
        #expect(one == two)
    }

    /// GELU, erf form and GPT-2's tanh form; the tanh form runs 16 elements at a time, and an
    /// odd count puts a padded vector at each chunk's end, which must not change a number.
    @Test(arguments: [false, true])
    func gelu(_ tanhForm: Bool) {
        let input = Tensor.randn([511, 1023], generator: Generator(seed: 1)) * 3
        let upstream = Tensor.randn([511, 1023], generator: Generator(seed: 2))
        let (one, two) = Self.oneAndTwoThreads {
            let x = Self.leaf(input)
            let y = tanhForm ? x.geluTanh() : x.gelu()
            y.backward(gradient: upstream)
            return [y.scalars, x.grad!.scalars]
        }
        #expect(one == two)
    }

    @Test func layerNorm() {
        let input = Tensor.randn([1024, 256], generator: Generator(seed: 3)) * 2 + 1
        let upstream = Tensor.randn([1024, 256], generator: Generator(seed: 4))
        let (one, two) = Self.oneAndTwoThreads {
            let norm = LayerNorm(256)
            noGrad {
                norm.weight!.copyFrom(Tensor.randn([256], generator: Generator(seed: 5)))
                norm.bias!.copyFrom(Tensor.randn([256], generator: Generator(seed: 6)))
            }
            let x = Self.leaf(input)
            let y = norm(x)
            y.backward(gradient: upstream)
            return [y.scalars, x.grad!.scalars, norm.weight!.grad!.scalars, norm.bias!.grad!.scalars]
        }
        #expect(one == two)
    }

    @Test func crossEntropy() {
        let input = Tensor.randn([512, 1000], generator: Generator(seed: 7)) * 3
        let g = Generator(seed: 8)
        let targets = (0..<512).map { _ in g.uniform() < 0.5 ? -100 : g.int(below: 1000) }   // half ignored
        let (one, two) = Self.oneAndTwoThreads {
            let x = Self.leaf(input)
            let loss = MiniTorch.crossEntropy(x, targets, labelSmoothing: 0.1)
            loss.backward()
            return [loss.scalars, x.grad!.scalars]
        }
        #expect(one == two)
    }

    @Test func attentionSoftmaxBackward() {
        let input = Tensor.randn([8, 4, 64, 64], generator: Generator(seed: 9))
        let upstream = Tensor.randn([8, 4, 64, 64], generator: Generator(seed: 10))
        let mask = (0..<(8 * 64)).map { $0 % 64 < 50 ? 1 : 0 }
        let (one, two) = Self.oneAndTwoThreads {
            let x = Self.leaf(input)
            let y = attentionSoftmax(x, keyMask: mask, scale: 0.125)
            y.backward(gradient: upstream)
            return [y.scalars, x.grad!.scalars]
        }
        #expect(one == two)
    }

    @Test func adamW() {
        let start = Tensor.randn([300_000], generator: Generator(seed: 11))
        let grads = (0..<3).map { Tensor.randn([300_000], generator: Generator(seed: UInt64(12 + $0))) }
        let (one, two) = Self.oneAndTwoThreads {
            let p = Self.leaf(start)
            let optimizer = AdamW(parameters: [p], learningRate: 1e-2)
            for g in grads {
                p.grad = g.clone()
                optimizer.step()
            }
            return [p.scalars]
        }
        #expect(one == two)
    }

    /// Matrix products split by rows of C between threads, each part a single-threaded OpenBLAS
    /// call (Kernels/BLAS.swift): the shapes of the GPT's step (768 positions, width 128, MLP 512,
    /// vocabulary 2,048), each product as stored and with either side transposed. Not bit for bit:
    /// OpenBLAS blocks a half-height product differently, so some sums run in another order
    /// (within 1e-5 relative of the largest); the same split twice is the same, bit for bit.
    @Test(arguments: [(768, 384, 128), (768, 128, 512), (128, 384, 768), (768, 2048, 128), (2048, 128, 768), (67, 129, 33)])
    func matrixProducts(_ shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        for (transA, transB) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = Tensor.randn(transA ? [k, m] : [m, k], generator: Generator(seed: 3))
            let b = Tensor.randn(transB ? [n, k] : [k, n], generator: Generator(seed: 4))
            let product = {
                let c = Tensor.zeros([m, n])
                Tensor.gemm(transA, transB, m, n, k, a.pointer, b.pointer, c.pointer, beta: 0)
                return [c.scalars]
            }
            let (one, two) = Self.oneAndTwoThreads(product)
            let again = Self.oneAndTwoThreads(product).two
            let scale = one[0].map(abs).max()!
            let worst = zip(one[0], two[0]).map { abs($0 - $1) }.max()!
            #expect(worst <= 1e-5 * scale, "\(m) x \(n) x \(k), transA \(transA), transB \(transB): \(worst) against \(scale)")
            #expect(two == again)
            // A plain triple loop, in Double: both are the product.
            let (ap, bp) = (a.scalars, b.scalars)
            for (i, j) in [(0, 0), (m - 1, n - 1), (m / 2, n / 3)] {
                var sum = 0.0
                for p in 0..<k {
                    sum += Double(transA ? ap[p * m + i] : ap[i * k + p]) * Double(transB ? bp[j * k + p] : bp[p * n + j])
                }
                #expect(abs(Double(two[0][i * n + j]) - sum) <= 1e-5 * Double(scale))
            }
        }
    }

    /// Attention's per-head products, each thread taking whole heads, forward and backward.
    @Test func attentionHeads() {
        let (q0, k0, v0) = (Tensor.randn([12, 64, 128], generator: Generator(seed: 5)),
                            Tensor.randn([12, 64, 128], generator: Generator(seed: 6)),
                            Tensor.randn([12, 64, 128], generator: Generator(seed: 7)))
        let upstream = Tensor.randn([12, 64, 128], generator: Generator(seed: 8))
        let (one, two) = Self.oneAndTwoThreads {
            let (q, k, v) = (Self.leaf(q0), Self.leaf(k0), Self.leaf(v0))
            let p = MiniTorch.causalAttentionSoftmax(attentionScores(q, k, heads: 4), scale: 0.125)
            let y = attentionContext(p, v)
            y.backward(gradient: upstream)
            return [y.scalars, q.grad!.scalars, k.grad!.scalars, v.grad!.scalars]
        }
        #expect(one == two)
    }
}
