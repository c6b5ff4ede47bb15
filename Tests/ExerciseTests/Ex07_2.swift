import Testing
import MiniTorch

/// ex07_2: merging an adapter (Sources/MiniTorch/Adapters/LoRALinear.swift, `deltaWeight` and
/// `addToBaseWeight`), as PEFT's `get_delta_weight` and `merge`: delta W = B A * alpha / r
/// ([out, r] x [r, in] -> [out, in]), and merging adds it to the base weight, W += delta W, so
/// one matrix multiply gives what base + adapter gave; unmerge subtracts it again.
@Suite("ex07_2: the LoRA merge")
struct Ex07_2 {
    static let a: [Float] = [0.5, -1, 0.25, 1, 0, -0.5]   // A [2, 3]
    static let b: [Float] = [1, 2, -1, 0.5]               // B [2, 2]

    /// B A = [[2.5, -1, -0.75], [0, 1, -0.5]]; times alpha / r = 8 / 2 = 4.
    @Test func deltaWeightIsBATimesScaling() {
        let lora = handMadeLoRA(r: 2, alpha: 8, a: Self.a, b: Self.b)
        let delta = lora.deltaWeight()
        #expect(delta.shape == [2, 3], "shape \(delta.shape), expected [out, in] = [2, 3]")
        #expect(exerciseClose(delta.scalars, [10, -4, -3, 0, 4, -2], 1e-5), "delta W \(delta.scalars)")
    }

    @Test func mergeAddsItToTheBaseWeight() {
        let lora = handMadeLoRA(r: 2, alpha: 8, a: Self.a, b: Self.b)
        lora.merge()
        let w = (lora.base_layer as! Linear).weight.scalars
        #expect(lora.merged)
        let expected: [Float] = [11, -2, -3, 0, 3, 1]   // W + delta W
        #expect(exerciseClose(w, expected, 1e-5), "merged weight \(w), expected \(expected)")
        lora.merge()   // a second merge does nothing
        #expect(exerciseClose((lora.base_layer as! Linear).weight.scalars, w), "merging twice must not add the update twice")
    }

    /// After the merge the layer is the base alone, with the new weight: its output is
    /// W' x + b, which equals base + adapter (computed here by hand).
    @Test func mergedOutputMatchesTheAdapter() {
        let lora = handMadeLoRA(r: 2, alpha: 8, a: Self.a, b: Self.b)
        let x: [Float] = [1, 2, 3]
        lora.merge()
        let y = lora(Tensor(x, shape: [1, 3])).scalars
        let expected = loraReference(x, r: 2, alpha: 8, a: Self.a, b: Self.b)
        #expect(exerciseClose(y, expected, 1e-4), "merged output \(y), expected \(expected)")
    }

    @Test func unmergeRestoresTheWeight() {
        let lora = handMadeLoRA(r: 2, alpha: 3, a: Self.a, b: Self.b)
        lora.merge()
        lora.unmerge()
        #expect(!lora.merged)
        #expect(exerciseClose((lora.base_layer as! Linear).weight.scalars, [1, 2, 0, 0, -1, 3], 1e-6), "weight after unmerge")
    }

    /// Rank 1, 4 x 2: the update is the outer product b a^T times alpha.
    @Test func rankOneIsAnOuterProduct() {
        let base = Linear(inFeatures: 2, outFeatures: 4, bias: false, generator: Generator(seed: 6))
        let lora = LoRALinear(base: base, r: 1, loraAlpha: 0.5, generator: Generator(seed: 7))
        lora.lora_A.weight.copyFrom(Tensor([2, -3], shape: [1, 2]))
        lora.lora_B.weight.copyFrom(Tensor([1, 0, -1, 4], shape: [4, 1]))
        #expect(exerciseClose(lora.deltaWeight().scalars, [1, -1.5, 0, 0, -1, 1.5, 4, -6], 1e-6), "delta W \(lora.deltaWeight().scalars)")
    }
}
