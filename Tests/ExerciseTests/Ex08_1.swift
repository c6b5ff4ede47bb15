import Testing
import MiniTorch

/// The 16 NF4 values, bitsandbytes `get_4bit_type("nf4")` (QLoRA, Appendix E), by code.
let nf4Table: [Float] = [
    -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
    -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
    0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
    0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
]

/// ex08_1: NF4 block quantisation (Sources/MiniTorch/Quantization/BlockwiseQuantization.swift,
/// the block loop of `quantize4bit`), as bitsandbytes `quantize_4bit`: cut the values into
/// blocks of `blockSize`, keep each block's absmax (largest |w|), and store each value as the
/// code of the code-book entry nearest to w / absmax, two codes a byte, the first in the high
/// nibble. Expected codes: NumPy, argmin |w / absmax - table| (no value sits near a tie).
@Suite("ex08_1: NF4 block quantisation")
struct Ex08_1 {
    @Test func codesAndAbsmaxOfTwoBlocks() {
        let q = quantize4bit(Tensor([0.5, -2.0, 0.1, 1.3, 0.02, -0.03, 0.01, 0.04], shape: [8]), quantType: .nf4, blockSize: 4)
        #expect(q.absmaxValues() == [2.0, 0.04], "absmax per block: \(q.absmaxValues())")
        // block 1: [0.25, -1, 0.05, 0.65]; block 2: [0.5, -0.75, 0.25, 1]
        #expect(q.codes() == [10, 0, 8, 14, 12, 1, 10, 15], "codes \(q.codes())")
    }

    @Test func twoCodesAByteHighNibbleFirst() {
        let q = quantize4bit(Tensor([0.5, -2.0, 0.1, 1.3, 0.02, -0.03, 0.01, 0.04], shape: [8]), quantType: .nf4, blockSize: 4)
        #expect(q.packed.bytes == [0xA0, 0x8E, 0xC1, 0xAF], "packed bytes \(q.packed.bytes.map { String($0, radix: 16) })")
    }

    /// Five values in blocks of 4: the last block holds one value, the last byte one code.
    @Test func shortLastBlock() {
        let q = quantize4bit(Tensor([3.0, -1.0, 0.2, -2.4, 0.7], shape: [5]), quantType: .nf4, blockSize: 4)
        #expect(q.absmaxValues() == [3.0, 0.7], "absmax \(q.absmaxValues())")
        #expect(q.codes() == [15, 4, 8, 1, 15], "codes \(q.codes())")
        #expect(q.packed.bytes == [0xF4, 0x81, 0xF0], "packed \(q.packed.bytes.map { String($0, radix: 16) })")
    }

    /// An all-zero block has absmax 0 and stores NF4's exact zero, code 7.
    @Test func zeroBlock() {
        let q = quantize4bit(Tensor([0, 0, 0, 0, 1, -1], shape: [6]), quantType: .nf4, blockSize: 4)
        #expect(q.absmaxValues() == [0, 1], "absmax \(q.absmaxValues())")
        #expect(q.codes() == [7, 7, 7, 7, 15, 0], "codes \(q.codes())")
    }

    /// Blocks of 64 on random weights: each block's absmax, and every code the nearest entry.
    @Test func defaultBlocksOf64() {
        let w = Tensor.randn([3, 50], generator: Generator(seed: 8))
        let q = quantize4bit(w)
        let x = w.scalars
        #expect(q.blockSize == 64 && q.absmaxValues().count == 3, "150 values in blocks of 64 make 3 blocks")
        for block in 0..<3 {
            let range = (block * 64)..<min(150, (block + 1) * 64)
            let absmax = x[range].map(abs).max()!
            #expect(q.absmaxValues()[block] == absmax, "block \(block): absmax \(q.absmaxValues()[block]), expected \(absmax)")
            for i in range {
                let scaled = x[i] / absmax
                let best = nf4Table.map { abs($0 - scaled) }.min()!
                let chosen = abs(nf4Table[Int(q.codes()[i])] - scaled)
                #expect(chosen <= best + 1e-6, "value \(i): code \(q.codes()[i]) is not the nearest entry to \(scaled)")
            }
        }
    }
}
