import Testing
import MiniTorch

/// ex07_4 (bug museum): LoRA scaled by alpha / r, not by alpha
/// (Sources/MiniTorch/Adapters/LoRAConfig.swift, `loraScaling`). The bug: alpha held fixed across
/// ranks, as Hu et al. hold it, but the update multiplied by alpha unscaled (or by any factor that
/// ignores r). Then doubling the rank doubles the update's size, and a learning rate tuned at
/// r = 8 blows up at r = 64. PEFT's `scaling = lora_alpha / r` keeps the update's size about the
/// same across ranks. (alpha = 2r, which keeps the factor at 2, is a deliberate choice, not this bug.) The output checks use the forward
/// (ex07_1), at several (r, alpha) pairs.
@Suite("ex07_4: LoRA scaled by alpha / r")
struct Ex07_4 {
    static let pairs: [(r: Int, alpha: Float, scaling: Float)] = [(8, 16, 2), (4, 8, 2), (16, 8, 0.5), (1, 1, 1), (64, 16, 0.25), (2, 3, 1.5)]

    @Test func theFactor() {
        for p in Self.pairs {
            #expect(loraScaling(loraAlpha: p.alpha, r: p.r) == p.scaling, "r \(p.r), alpha \(p.alpha): \(loraScaling(loraAlpha: p.alpha, r: p.r)), expected \(p.scaling)")
            #expect(LoRAConfig(r: p.r, loraAlpha: p.alpha).scaling == p.scaling, "LoRAConfig(r: \(p.r), loraAlpha: \(p.alpha)).scaling")
        }
    }

    @Test func layersUseIt() {
        for p in Self.pairs {
            let lora = LoRALinear(base: Linear(inFeatures: 3, outFeatures: 2, generator: Generator(seed: 1)), r: p.r, loraAlpha: p.alpha, generator: Generator(seed: 2))
            #expect(lora.scaling == p.scaling, "LoRALinear r \(p.r), alpha \(p.alpha): scaling \(lora.scaling)")
        }
    }

    /// The same A and B at r = 2 with alpha 2, 4 and 8, and at r = 1 with the same alpha
    /// (B's second column and A's second row zero, so B A is the same matrix): only alpha / r counts.
    @Test func outputsForSeveralPairs() {
        let x: [Float] = [1, 2, 3]
        for alpha: Float in [2, 4, 8] {
            let lora = handMadeLoRA(r: 2, alpha: alpha, a: [0.5, -1, 0.25, 0, 0, 0], b: [1, 0, -1, 0])
            let y = lora(Tensor(x, shape: [1, 3])).scalars
            let expected = loraReference(x, r: 2, alpha: alpha, a: [0.5, -1, 0.25, 0, 0, 0], b: [1, 0, -1, 0])
            #expect(exerciseClose(y, expected, 1e-5), "r 2, alpha \(alpha): \(y), expected \(expected)")
            let one = handMadeLoRA(r: 1, alpha: alpha, a: [0.5, -1, 0.25], b: [1, -1])
            let y1 = one(Tensor(x, shape: [1, 3])).scalars
            // B A x = [-0.75, 0.75]; r = 1 scales it by alpha, r = 2 by alpha / 2.
            #expect(exerciseClose(zip(y1, [5.5, 6.5]).map { $0 - $1 }, [-0.75 * alpha, 0.75 * alpha], 1e-5), "r 1, alpha \(alpha): update \(zip(y1, [5.5, 6.5]).map { $0 - $1 })")
            #expect(exerciseClose(zip(y, [5.5, 6.5]).map { $0 - $1 }, [-0.75 * alpha / 2, 0.75 * alpha / 2], 1e-5), "r 2, alpha \(alpha): update \(zip(y, [5.5, 6.5]).map { $0 - $1 })")
        }
    }
}
