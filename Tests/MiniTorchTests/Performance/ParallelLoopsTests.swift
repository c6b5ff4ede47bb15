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
        func with(_ threads: Int) -> [[Float]] {
            Parallel.threadsOverride.store(threads, ordering: .relaxed)
            defer { Parallel.threadsOverride.store(0, ordering: .relaxed) }
            return run()
        }
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
}
