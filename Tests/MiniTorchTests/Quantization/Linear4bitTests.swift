import Foundation
import Testing
@testable import MiniTorch

@Suite("Linear4bit and LoRA on a 4-bit base")
struct Linear4bitTests {
    @Test func forwardIsTheLinearOfTheDequantisedWeight() {
        let g = Generator(seed: 11)
        let linear = Linear(inFeatures: 96, outFeatures: 40, generator: g)
        let q = Linear4bit(linear)
        let x = Tensor.randn([3, 5, 96], generator: g)
        let expected = MiniTorch.linear(x, weight: q.weight.dequantize(), bias: linear.bias)
        let y = q(x)
        #expect(y.shape == [3, 5, 40])
        #expect(zip(y.scalars, expected.scalars).allSatisfy { abs($0 - $1) <= 1e-5 })
        // and close to the full-precision layer: 4 bits lose a little, not everything
        let full = linear(x)
        let rel = meanSquaredError(y, full) / meanSquaredError(full, Tensor.zeros(full.shape))
        #expect(rel < 0.02)
    }

    @Test func gradientsGoToTheInputOnly() {
        let g = Generator(seed: 12)
        let q = Linear4bit(Linear(inFeatures: 8, outFeatures: 6, generator: g))
        #expect(q.parameters().allSatisfy { !$0.requiresGrad })      // only the frozen bias is a Tensor
        let x = Tensor.randn([4, 8], generator: g, requiresGrad: true)
        let check = gradCheck([x]) { q($0[0]) }
        #expect(check.passed, "\(check)")
        q(x).sum().backward()
        #expect(x.grad != nil)
        #expect(q.bias?.grad == nil)
    }

    @Test func aTrainableBiasGetsItsGradient() {
        let g = Generator(seed: 13)
        let q = Linear4bit(Linear(inFeatures: 5, outFeatures: 3, generator: g))
        q.bias?.requiresGrad = true
        let x = Tensor.randn([2, 4, 5], generator: g, requiresGrad: true)
        let check = gradCheck([x, q.bias!]) { _ in q(x) }
        #expect(check.passed, "\(check)")
    }

    @Test func loraOnA4bitBaseStartsAtTheBaseAndTrainsOnlyTheAdapter() {
        let g = Generator(seed: 14)
        let base = Linear4bit(Linear(inFeatures: 16, outFeatures: 12, generator: g))
        let lora = LoRALinear(base: base, r: 4, loraAlpha: 8, generator: g)
        let x = Tensor.randn([5, 16], generator: g, requiresGrad: true)
        #expect(lora(x).scalars == base(x).scalars)                   // B = 0: exactly the base
        lora.lora_B.weight.copyFrom(.randn([12, 4], generator: g))
        let check = gradCheck([x, lora.lora_A.weight, lora.lora_B.weight]) { _ in lora(x) }
        #expect(check.passed, "\(check)")
        let trainable = lora.parameters().filter(\.requiresGrad).map(\.count).reduce(0, +)
        #expect(trainable == 4 * (16 + 12))
    }

    @Test func replacingTheEncodersLinearLayersShrinksItsMemory() {
        let config = RobertaConfig(vocabSize: 50, hiddenSize: 64, numHiddenLayers: 2, numAttentionHeads: 4,
                                   intermediateSize: 128, maxPositionEmbeddings: 20)
        let model = RobertaForSequenceClassification(config: config, generator: Generator(seed: 15))
        model.eval()
        let ids = (0..<16).map { 3 + $0 % 40 }
        let before = model(inputIds: ids, shape: [2, 8])
        let converted = replaceWithLinear4bit(model, modulesToNotConvert: ["classifier"])
        #expect(converted.count == 2 * 6)   // query, key, value, attention output, intermediate, output per layer
        #expect(converted.allSatisfy { $0.hasPrefix("roberta.encoder.layer.") })
        #expect(model.parameters().allSatisfy { !$0.requiresGrad })
        let after = model(inputIds: ids, shape: [2, 8])
        #expect(meanSquaredError(after, before) < 1e-3 * max(1e-6, meanSquaredError(before, Tensor.zeros(before.shape))) + 1e-4)
        // LoRA finds the 4-bit layers by name, as PEFT does on a bitsandbytes model.
        getPeftModel(model, LoRAConfig(r: 2, loraAlpha: 4, targetModules: ["query", "value"], modulesToSave: ["classifier"]),
                     generator: Generator(seed: 16))
        let adapted = model.loraLayers()
        #expect(adapted.count == 4 && adapted.allSatisfy { $0.1.base_layer is Linear4bit })
    }

    @Test func wrongInputWidthStops() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let q = Linear4bit(Linear(inFeatures: 4, outFeatures: 2, generator: Generator(seed: 1)))
            _ = q(Tensor.zeros([3, 5]))
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text == "error: matmul4bit: input [3, 5] x weight [2, 4]: the input's last dimension must equal the weight's in-features (weight is [out, in])\n")
        }
    }
}
