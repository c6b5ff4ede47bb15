import Foundation
import Testing
import QLoRALesson

@Suite("Fine-tuning memory arithmetic")
struct FinetuneMemoryTests {
    @Test func a65BFullFinetuneNeeds780GB() {
        let full = FinetuneMemory.fullFinetune16bit(parameters: 65e9)
        #expect(full.totalBytes == 65e9 * 12)                        // 2 + 2 + 8 bytes a parameter
        #expect(full.totalBytes / 1e9 == 780)
        #expect(!full.fits(gigabytes: 48))
    }

    @Test func a65BQLoRAFitsIn48GB() {
        // r = 64 on every linear layer of LLaMA-65B: q, k, v, o (8192 -> 8192), gate, up (8192 -> 22016), down
        let d = 8192, ffn = 22016
        let lora = FinetuneMemory.loraParameters(r: 64, layers: 80, matrices: [(d, d), (d, d), (d, d), (d, d), (d, ffn), (d, ffn), (ffn, d)])
        let expected: Double = 80 * 64 * (4 * 16384 + 3 * 30208)
        #expect(lora == expected)
        let q = FinetuneMemory.qlora(parameters: 65e9, loraParameters: lora)
        let weights = q.lines.first { $0.name == "weights" }!.bytes
        let constants = q.lines.first { $0.name == "quantization constants" }!.bytes
        #expect(weights == 65e9 / 2)
        let constantBits: Double = 8.0 / 64 + 32.0 / (64 * 256)
        #expect(abs(constants - 65e9 * constantBits / 8) < 1)
        let bits = (weights + constants) * 8 / 65e9
        #expect(abs(bits - 4.126953125) < 1e-12)
        #expect(q.fits(gigabytes: 48))
        let gigabytes = q.totalBytes / 1e9
        #expect(gigabytes > 40 && gigabytes < 48)
        #expect(FinetuneMemory.WeightFormat.fourBit(blockSize: 64, doubleQuantization: false).constantBits == 0.5)
    }
}
