import Testing
import MiniTorch

/// ex10_1: clipping by the global norm (Sources/MiniTorch/Optim/ClipGradNorm.swift,
/// `clipGradNorm`), as `torch.nn.utils.clip_grad_norm_`: the norm of ALL gradients taken as one
/// vector, total = ||(||g_1||, ..., ||g_n||)||; if maxNorm / (total + 1e-6) < 1, every gradient
/// is multiplied by that coefficient (so the direction is kept); the norm before clipping is
/// returned. Parameters without a gradient are skipped; normType p >= 1 or infinity (max |g|).
@Suite("ex10_1: clipping by the global gradient norm")
struct Ex10_1 {
    /// A parameter whose gradient is `grad` (the gradient of sum(x * grad)).
    static func parameter(grad: [Float]) -> Tensor {
        let x = Tensor([Float](repeating: 1, count: grad.count), shape: [grad.count], requiresGrad: true)
        (x * Tensor(grad, shape: [grad.count])).sum().backward()
        return x
    }

    /// Gradients (3, 4) and (12): global norm sqrt(9 + 16 + 144) = 13.
    @Test func globalNormIsOneVector() {
        let a = Self.parameter(grad: [3, 4]), b = Self.parameter(grad: [12])
        let norm = clipGradNorm([a, b], maxNorm: 6.5)
        #expect(abs(norm - 13) < 1e-5, "returned norm \(norm), expected 13 (before clipping)")
        let c: Float = 6.5 / (13 + 1e-6)
        #expect(exerciseClose(a.grad!.scalars, [3 * c, 4 * c], 1e-5) && exerciseClose(b.grad!.scalars, [12 * c], 1e-5),
                "clipped gradients \(a.grad!.scalars), \(b.grad!.scalars); expected [1.5, 2] and [6]: one coefficient for all, not one per tensor")
    }

    @Test func belowTheLimitNothingChanges() {
        let a = Self.parameter(grad: [3, 4]), b = Self.parameter(grad: [12])
        let norm = clipGradNorm([a, b], maxNorm: 20)
        #expect(abs(norm - 13) < 1e-5, "norm \(norm)")
        #expect(a.grad!.scalars == [3, 4] && b.grad!.scalars == [12], "gradients under the limit must stay exactly as they were")
    }

    @Test func infinityAndOneNorms() {
        let a = Self.parameter(grad: [3, -4]), b = Self.parameter(grad: [-12])
        let inf = clipGradNorm([a, b], maxNorm: 6, normType: .infinity)
        #expect(abs(inf - 12) < 1e-5, "infinity norm \(inf), expected max |g| = 12")
        let c: Float = 6 / (12 + 1e-6)
        #expect(exerciseClose(a.grad!.scalars, [3 * c, -4 * c], 1e-5) && exerciseClose(b.grad!.scalars, [-12 * c], 1e-5),
                "clipped \(a.grad!.scalars), \(b.grad!.scalars)")
        let d = Self.parameter(grad: [3, -4]), e = Self.parameter(grad: [-12])
        let one = clipGradNorm([d, e], maxNorm: 100, normType: 1)
        #expect(abs(one - 19) < 1e-5, "1-norm \(one), expected 19")
    }

    @Test func parametersWithoutGradientsAreSkipped() {
        let a = Self.parameter(grad: [6, 8])
        let frozen = Tensor([100, 100], shape: [2], requiresGrad: true)   // never used: no .grad
        let norm = clipGradNorm([frozen, a], maxNorm: 5)
        #expect(abs(norm - 10) < 1e-5, "norm \(norm), expected 10")
        #expect(exerciseClose(a.grad!.scalars, [3, 4], 1e-5), "clipped \(a.grad!.scalars), expected [3, 4]")
        #expect(frozen.grad == nil)
    }
}
