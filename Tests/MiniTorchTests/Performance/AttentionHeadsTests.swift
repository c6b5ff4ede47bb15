import Foundation
import Testing
@testable import MiniTorch

/// Attention's per-head products on strided heads (Kernels/AttentionHeads.swift) against the same
/// products on heads split by permute copies, and their gradients by finite differences.
@Suite("Attention heads without copies")
struct AttentionHeadsTests {
    /// Q K^T per head the long way: [B, T, H] -> [B, nh, T, hs] and K^T -> [B, nh, hs, T] by copies.
    static func permutedScores(_ q: Tensor, _ k: Tensor, heads: Int) -> Tensor {
        let (b, t, h) = (q.shape[0], q.shape[1], q.shape[2])
        let qh = q.reshape([b, t, heads, h / heads]).permute([0, 2, 1, 3])
        let kT = k.reshape([b, t, heads, h / heads]).permute([0, 2, 3, 1])
        return qh.matmul(kT)
    }

    /// P V per head the long way: V split by a copy, the context joined back by another.
    static func permutedContext(_ p: Tensor, _ v: Tensor) -> Tensor {
        let (b, heads, t, h) = (p.shape[0], p.shape[1], p.shape[2], v.shape[2])
        let vh = v.reshape([b, t, heads, h / heads]).permute([0, 2, 1, 3])
        return p.matmul(vh).permute([0, 2, 1, 3]).reshape([b, t, h])
    }

    /// The strided products promise the permuted ones' numbers bit for bit (dK is summed in the
    /// same orientation as before), so models train to exactly the same weights.
    @Test func scoresAndContextEqualPermutedHeadsBitForBitWithTheirGradients() {
        for (b, t, h, heads) in [(2, 7, 12, 3), (3, 16, 64, 4), (2, 33, 96, 2)] {
            let g = Generator(seed: UInt64(11 + t))
            let q = Tensor.randn([b, t, h], generator: g, requiresGrad: true)
            let k = Tensor.randn([b, t, h], generator: g, requiresGrad: true)
            let v = Tensor.randn([b, t, h], generator: g, requiresGrad: true)
            let upstream = Tensor.randn([b, t, h], generator: g)

            func run(_ scores: (Tensor, Tensor) -> Tensor, _ context: (Tensor, Tensor) -> Tensor) -> [[Float]] {
                for x in [q, k, v] { x.zeroGrad() }
                let s = scores(q, k)                                                       // [B, nh, T, T]
                let c = context(attentionSoftmax(s, keyMask: nil, scale: 0.25), v)         // [B, T, H]
                (c * upstream).sum().backward()
                return [s.scalars, c.scalars, q.grad!.scalars, k.grad!.scalars, v.grad!.scalars]
            }
            let strided = run({ attentionScores($0, $1, heads: heads) }, attentionContext)
            let permuted = run({ Self.permutedScores($0, $1, heads: heads) }, Self.permutedContext)
            for (name, (a, r)) in zip(["scores", "context", "dQ", "dK", "dV"], zip(strided, permuted)) {
                let differing = zip(a, r).filter { $0 != $1 }.count
                #expect(a.count == r.count && differing == 0, "[\(b), \(t), \(h)], \(heads) heads: \(name) differs in \(differing) of \(a.count) values")
            }
        }
    }

    @Test func attentionScoresGradients() {
        let g = Generator(seed: 12)
        let q = Tensor.randn([2, 3, 4], generator: g, requiresGrad: true)
        let k = Tensor.randn([2, 3, 4], generator: g, requiresGrad: true)
        let r = gradCheck([q, k]) { xs in attentionScores(xs[0], xs[1], heads: 2) }
        #expect(r.passed, "\(r)")
    }

    @Test func attentionContextGradients() {
        let g = Generator(seed: 13)
        let p = Tensor.randn([2, 2, 3, 3], generator: g, requiresGrad: true)
        let v = Tensor.randn([2, 3, 4], generator: g, requiresGrad: true)
        let r = gradCheck([p, v]) { xs in attentionContext(xs[0], xs[1]) }
        #expect(r.passed, "\(r)")
    }

    /// Only one side needing a gradient: the other is skipped, and the one computed is unchanged.
    @Test func oneSidedGradients() {
        let g = Generator(seed: 14)
        let q = Tensor.randn([1, 4, 6], generator: g, requiresGrad: true), k = Tensor.randn([1, 4, 6], generator: g)
        attentionScores(q, k, heads: 3).sum().backward()
        #expect(q.grad != nil && k.grad == nil)
        let p = Tensor.randn([1, 3, 4, 4], generator: g), v = Tensor.randn([1, 4, 6], generator: g, requiresGrad: true)
        attentionContext(p, v).sum().backward()
        let reference = v.detach().clone()
        reference.requiresGrad = true
        Self.permutedContext(p, reference).sum().backward()
        #expect(opsClose(v.grad!.scalars, reference.grad!.scalars, 1e-6))
    }

    @Test func scoresNeedHeadsThatDivideTheHiddenSize() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = attentionScores(Tensor.zeros([1, 2, 6]), Tensor.zeros([1, 2, 6]), heads: 4)
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text == "error: attentionScores: query [1, 2, 6] and key [1, 2, 6] must both be [B, T, H] with H divisible by 4 heads\n")
        }
    }

    @Test func contextNeedsMatchingShapes() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = attentionContext(Tensor.zeros([1, 2, 3, 3]), Tensor.zeros([1, 4, 6]))
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text == "error: attentionContext: probabilities [1, 2, 3, 3] must be [B, nh, T, T] and value [1, 4, 6] [B, T, H] with H divisible by nh\n")
        }
    }
}
