import Testing
import MiniTorch

/// A LoRA layer around a Linear 3 -> 2 with fixed weights: W = [[1, 2, 0], [0, -1, 3]],
/// b = [0.5, -0.5]; A [r, 3] and B [2, r] set by hand.
func handMadeLoRA(r: Int, alpha: Float, a: [Float], b: [Float], dropout: Float = 0) -> LoRALinear {
    let base = Linear(inFeatures: 3, outFeatures: 2, generator: Generator(seed: 1))
    base.weight.copyFrom(Tensor([1, 2, 0, 0, -1, 3], shape: [2, 3]))
    base.bias!.copyFrom(Tensor([0.5, -0.5], shape: [2]))
    let lora = LoRALinear(base: base, r: r, loraAlpha: alpha, loraDropout: dropout, generator: Generator(seed: 2))
    lora.lora_A.weight.copyFrom(Tensor(a, shape: [r, 3]))
    lora.lora_B.weight.copyFrom(Tensor(b, shape: [2, r]))
    return lora
}

/// W x + b + (B (A x)) * alpha / r for one input row, written out.
func loraReference(_ x: [Float], r: Int, alpha: Float, a: [Float], b: [Float]) -> [Float] {
    let w: [Float] = [1, 2, 0, 0, -1, 3], bias: [Float] = [0.5, -0.5]
    let ax = (0..<r).map { k in (0..<3).reduce(Float(0)) { $0 + a[k * 3 + $1] * x[$1] } }
    return (0..<2).map { o in
        let base = (0..<3).reduce(bias[o]) { $0 + w[o * 3 + $1] * x[$1] }
        let update = (0..<r).reduce(Float(0)) { $0 + b[o * r + $1] * ax[$1] }
        return base + update * alpha / Float(r)
    }
}

/// ex07_1: the LoRA forward (Sources/MiniTorch/Adapters/LoRALinear.swift, `callAsFunction`), as
/// PEFT's `lora.Linear.forward`: h = base(x) + B(A(dropout(x))) * alpha / r, the adapter branch
/// built from the layers lora_A, lora_B and lora_dropout so that autograd reaches A and B.
/// Dropout applies to the adapter's input only. The scale is `scaling` (alpha / r, ex07_4).
@Suite("ex07_1: the LoRA forward")
struct Ex07_1 {
    static let a: [Float] = [0.5, -1, 0.25, 1, 0, -0.5]   // r = 2
    static let b: [Float] = [1, 2, -1, 0.5]

    @Test func baseLayerPlusScaledUpdate() {
        let lora = handMadeLoRA(r: 2, alpha: 8, a: Self.a, b: Self.b)
        let x: [[Float]] = [[1, 2, 3], [-1, 0.5, 2]]
        let y = lora(Tensor(x.flatMap { $0 }, shape: [2, 3]))
        let expected = x.flatMap { loraReference($0, r: 2, alpha: 8, a: Self.a, b: Self.b) }
        #expect(y.shape == [2, 2])
        #expect(exerciseClose(y.scalars, expected, 1e-5), "output \(y.scalars), expected \(expected)")
    }

    /// B starts at zero: a fresh adapter leaves the model exactly as it was.
    @Test func freshAdapterChangesNothing() {
        let base = Linear(inFeatures: 4, outFeatures: 3, generator: Generator(seed: 3))
        let lora = LoRALinear(base: base, r: 2, loraAlpha: 16, generator: Generator(seed: 4))
        let x = Tensor.randn([5, 4], generator: Generator(seed: 5))
        #expect(lora(x).scalars == base(x).scalars, "a fresh adapter (B = 0) must add exactly nothing")
    }

    /// Inputs with more leading axes, [2, 2, 3], as inside a transformer.
    @Test func batchOfSequences() {
        let lora = handMadeLoRA(r: 2, alpha: 2, a: Self.a, b: Self.b)
        let rows: [[Float]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [2, -1, 0.5]]
        let y = lora(Tensor(rows.flatMap { $0 }, shape: [2, 2, 3]))
        #expect(y.shape == [2, 2, 2], "shape \(y.shape)")
        #expect(exerciseClose(y.scalars, rows.flatMap { loraReference($0, r: 2, alpha: 2, a: Self.a, b: Self.b) }, 1e-5), "output \(y.scalars)")
    }

    /// The gradient reaches A and B: d sum(h) / dB[o][k] = (alpha / r) * sum over inputs of (A x)[k].
    @Test func gradientsReachTheAdapter() {
        let lora = handMadeLoRA(r: 2, alpha: 4, a: Self.a, b: Self.b)
        lora.lora_A.weight.requiresGrad = true
        lora.lora_B.weight.requiresGrad = true
        let x: [Float] = [1, 2, 3, -1, 0.5, 2]
        lora(Tensor(x, shape: [2, 3])).sum().backward()
        // A x for the two rows: [0.5 - 2 + 0.75, 1 - 1.5] = [-0.75, -0.5] and [-0.5 - 0.5 + 0.5, -1 - 1] = [-0.5, -2]
        let expected: [Float] = [-1.25 * 2, -2.5 * 2, -1.25 * 2, -2.5 * 2]
        #expect(exerciseClose(lora.lora_B.weight.grad?.scalars ?? [], expected, 1e-5), "dB \(lora.lora_B.weight.grad?.scalars ?? [])")
        #expect(lora.lora_A.weight.grad != nil, "A must receive a gradient too")
    }

    /// Dropout is on the adapter's input only: with B = 0 the output is the base's, dropout or not.
    @Test func dropoutOnlyOnTheAdapter() {
        let lora = handMadeLoRA(r: 2, alpha: 4, a: Self.a, b: [0, 0, 0, 0], dropout: 0.5).train()
        let x = Tensor([1, 2, 3, -1, 0.5, 2], shape: [2, 3])
        #expect(lora(x).scalars == lora.base_layer(x).scalars, "the frozen path must see x unchanged")
    }
}
