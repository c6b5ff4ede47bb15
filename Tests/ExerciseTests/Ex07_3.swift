import Testing
import MiniTorch
import LoRALesson
import QLoRALesson

/// ex07_3: the trainable-parameter count of LoRA (Lessons/07-lora/Checks.swift,
/// `loraParameterFormula`, and Lessons/08-qlora/FinetuneMemory.swift,
/// `FinetuneMemory.loraParameters`): an adapter on a matrix W [out, in] has A [r, in] and
/// B [out, r], r x (in + out) numbers instead of in x out.
@Suite("ex07_3: LoRA's trainable parameters, r x (in + out)")
struct Ex07_3 {
    /// The tiny encoder (hidden 64, 2 layers) with adapters on query and value.
    @Test func queryAndValueOfTheTinyEncoder() {
        for (r, expected) in [(4, 2 * 2 * 4 * 128), (8, 2 * 2 * 8 * 128)] {
            let model = RobertaModel(config: .tiny(vocabSize: 12), generator: Generator(seed: 1))
            getPeftModel(model, LoRAConfig(r: r, loraAlpha: Float(2 * r)), generator: Generator(seed: 2))
            #expect(loraParameterFormula(model) == expected, "r = \(r): formula \(loraParameterFormula(model)), expected \(expected)")
            #expect(model.parameterCount(trainableOnly: true) == expected, "the trainable parameters are the adapters'")
        }
    }

    /// Adapters on matrices of different shapes: the feed-forward's 64 -> 256 and 256 -> 64.
    @Test func differentShapes() {
        let model = RobertaModel(config: .tiny(vocabSize: 12), generator: Generator(seed: 3))
        getPeftModel(model, LoRAConfig(r: 2, loraAlpha: 4, targetModules: ["intermediate.dense", "output.dense"]), generator: Generator(seed: 4))
        // per layer: intermediate 2 x (64 + 256), attention output 2 x (64 + 64), output 2 x (256 + 64)
        let expected = 2 * (2 * 320 + 2 * 128 + 2 * 320)
        #expect(loraParameterFormula(model) == expected, "formula \(loraParameterFormula(model)), expected \(expected)")
    }

    /// roberta-base with r = 8 on query and value: 12 layers x 2 x 8 x (768 + 768) = 294,912.
    @Test func robertaBase() {
        let n = FinetuneMemory.loraParameters(r: 8, layers: 12, matrices: [(768, 768), (768, 768)])
        #expect(n == 294_912, "roberta-base q/v r = 8: \(n)")
    }

    /// LLaMA-65B, r = 64 on all seven linear layers of 80 blocks (QLoRA's setup): 799.5M.
    @Test func llama65B() {
        let (d, f) = (8192, 22016)
        let n = FinetuneMemory.loraParameters(r: 64, layers: 80, matrices: [(d, d), (d, d), (d, d), (d, d), (d, f), (d, f), (f, d)])
        #expect(n == 799_539_200, "LLaMA-65B r = 64: \(n)")
    }
}
