import Testing
@testable import MiniTorch

/// ex08_2: dequantisation (Sources/MiniTorch/Quantization/BlockwiseQuantization.swift,
/// `Quantized4bit.dequantize`), as bitsandbytes `dequantize_4bit`: value i is
/// codebook[code_i] x absmax of its block, the code read from byte i / 2 (high nibble for even
/// i, low nibble for odd i). The quantised tensors are built by hand here, so these tests do not
/// need ex08_1.
@Suite("ex08_2: NF4 dequantisation")
struct Ex08_2 {
    static func quantized(_ bytes: [UInt8], shape: [Int], blockSize: Int, absmax: [Float], type: QuantType = .nf4) -> Quantized4bit {
        let packed = ByteStorage(count: bytes.count)
        for (i, b) in bytes.enumerated() { packed.pointer[i] = b }
        return Quantized4bit(shape: shape, quantType: type, blockSize: blockSize, packed: packed,
                             absmax: .float32(Tensor(absmax, shape: [absmax.count])))
    }

    @Test func codeTimesTheBlocksAbsmax() {
        let q = Self.quantized([0xA0, 0x8E, 0xC1, 0xAF], shape: [8], blockSize: 4, absmax: [2, 0.04])
        let expected = zip([10, 0, 8, 14, 12, 1, 10, 15], [2, 2, 2, 2, 0.04, 0.04, 0.04, 0.04] as [Float]).map { nf4Table[$0] * $1 }
        let w = q.dequantize()
        #expect(w.shape == [8])
        #expect(exerciseClose(w.scalars, expected), "dequantised \(w.scalars), expected \(expected)")
    }

    @Test func shapeAndAShortLastBlock() {
        let q = Self.quantized([0xF4, 0x81, 0xF0, 0x7F], shape: [2, 4], blockSize: 6, absmax: [3, 0.5])
        let codes = [15, 4, 8, 1, 15, 0, 7, 15]
        let scales: [Float] = [3, 3, 3, 3, 3, 3, 0.5, 0.5]
        let w = q.dequantize()
        #expect(w.shape == [2, 4], "shape \(w.shape)")
        #expect(exerciseClose(w.scalars, zip(codes, scales).map { nf4Table[$0] * $1 }), "dequantised \(w.scalars)")
    }

    /// An odd count: the last byte's low nibble is unused.
    @Test func oddCount() {
        let q = Self.quantized([0x0F, 0x80], shape: [3], blockSize: 2, absmax: [1.5, 4])
        #expect(exerciseClose(q.dequantize().scalars, [-1.5, 1.5, nf4Table[8] * 4]), "dequantised \(q.dequantize().scalars)")
    }

    /// Another code book: FP4's code 3 is 12/12 = 1, code 12 is -4/12.
    @Test func theQuantTypesCodeBook() {
        let q = Self.quantized([0x3C], shape: [2], blockSize: 2, absmax: [6], type: .fp4)
        #expect(exerciseClose(q.dequantize().scalars, [6, -2]), "fp4 dequantised \(q.dequantize().scalars)")
    }
}
