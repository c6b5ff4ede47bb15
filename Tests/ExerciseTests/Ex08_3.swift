import Testing
import MiniTorch
import QLoRALesson

/// ex08_3: bits per parameter of block-wise 4-bit storage
/// (Lessons/08-qlora/FinetuneMemory.swift, `WeightFormat.constantBits`). One
/// Float32 absmax per block of 64 costs 32/64 = 0.5 bits a parameter (4.5 in all); double
/// quantisation stores it as an 8-bit code (8/64) plus one Float32 per 256 blocks
/// (32/(64 x 256)): 0.126953125, 4.127 in all (QLoRA, section 3, "Double Quantization").
@Suite("ex08_3: bits per parameter with double quantisation")
struct Ex08_3 {
    typealias Format = FinetuneMemory.WeightFormat

    @Test func blocksOf64() {
        let plain = Format.fourBit(blockSize: 64, doubleQuantization: false)
        #expect(plain.constantBits == 0.5, "32/64 = 0.5, got \(plain.constantBits)")
        #expect(plain.valueBits + plain.constantBits == 4.5)
    }

    @Test func doubleQuantization() {
        let double = Format.fourBit(blockSize: 64, doubleQuantization: true)
        #expect(abs(double.constantBits - 0.126953125) < 1e-12, "8/64 + 32/(64 x 256) = 0.126953125, got \(double.constantBits)")
        #expect(abs(double.valueBits + double.constantBits - 4.126953125) < 1e-12)
    }

    @Test func otherBlockSizes() {
        #expect(Format.fourBit(blockSize: 128, doubleQuantization: false).constantBits == 0.25)
        let d128 = Format.fourBit(blockSize: 128, doubleQuantization: true).constantBits
        #expect(abs(d128 - 0.0634765625) < 1e-12, "8/128 + 32/(128 x 256) = 0.0634765625, got \(d128)")
        let d32 = Format.fourBit(blockSize: 32, doubleQuantization: true).constantBits
        #expect(abs(d32 - 0.25390625) < 1e-12, "8/32 + 32/(32 x 256) = 0.25390625, got \(d32)")
    }

    /// QLoRA's 65B base: 65e9 x 0.126953125 / 8 bytes of constants, 1.03 GB instead of 4.06.
    @Test func constantsOfA65BModel() {
        let memory = FinetuneMemory.qlora(parameters: 65e9, loraParameters: 0)
        let constants = memory.lines.first { $0.name == "quantization constants" }?.bytes ?? 0
        #expect(abs(constants - 1.031494140625e9) < 1, "quantization constants \(constants) bytes")
    }
}
