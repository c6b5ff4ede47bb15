import Foundation
import Testing
@testable import MiniTorch

/// Mean squared difference between two tensors of the same size.
func meanSquaredError(_ a: Tensor, _ b: Tensor) -> Double {
    var total = 0.0
    for i in 0..<a.count { let d = Double(a.pointer[i]) - Double(b.pointer[i]); total += d * d }
    return total / Double(a.count)
}

@Suite("4-bit code books and block-wise quantisation")
struct QuantizationTests {
    @Test func nf4ValuesAreThePublishedOnes() {
        // bitsandbytes get_4bit_type("nf4"); QLoRA (arXiv:2305.14314) Appendix E.
        let published: [Float] = [
            -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
            -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
            0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
            0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
        ]
        #expect(QuantType.nf4.codebook.count == 16)
        #expect(QuantType.nf4.codebook.map(\.bitPattern) == published.map(\.bitPattern))
    }

    @Test func nf4IsTheQuantilesOfANormal() {
        // create_normal_map computes the quantiles in float32 (torch.linspace); ours in Double.
        let derived = normalFloatCodebook()
        for (d, p) in zip(derived, QuantType.nf4.codebook) {
            #expect(abs(d - p) < 2e-6, "derived \(d) vs published \(p)")
        }
        #expect(abs(normalQuantile(0.975) - 1.959963984540054) < 1e-12)
        #expect(abs(normalQuantile(0.5)) < 1e-15)
        #expect(abs(normalQuantile(0.001) + 3.090232306167813) < 1e-11)
    }

    @Test func fp4AndInt4ValuesAreBitsandbytes() {
        // bitsandbytes backends/utils.py _FP4_QUANT_TABLE (4 decimals), i.e. get_4bit_type("fp4").
        let table: [Float] = [0.0000, 0.0052, 0.6667, 1.0000, 0.3333, 0.5000, 0.1667, 0.2500,
                              0.0000, -0.0052, -0.6667, -1.0000, -0.3333, -0.5000, -0.1667, -0.2500]
        for (v, t) in zip(QuantType.fp4.codebook, table) { #expect(abs(v - t) < 5e-5) }
        // E2M1: the high bit is the sign; magnitudes 0, 1/192 (subnormal), then 2^e x {1, 1.5} / 12.
        for code in 0..<8 { #expect(QuantType.fp4.codebook[code + 8] == -QuantType.fp4.codebook[code]) }
        #expect(QuantType.fp4.codebook[1] == 0.0625 / 12)
        #expect(QuantType.int4.codebook == [7, 6, 5, 4, 3, 2, 1, 0, 0, -1, -2, -3, -4, -5, -6, -7].map { Float($0) / 7 })
    }

    @Test func dynamicMapHas256SortedValuesFromMinusOneToOne() {
        let map = dynamicMap8bit
        #expect(map.count == 256)
        #expect(zip(map, map.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(map.last == 1 && map.contains(0))
        #expect(map.filter { $0 > 0 }.count == 128 && map.filter { $0 < 0 }.count == 127)
        #expect(abs(map[0] + 0.99297) < 1e-5)   // -(10^0 x (0.98594 + 1) / 2), the widest negative mean
    }

    @Test func packsTwoCodesPerByteFirstInTheHighNibble() {
        // One block: absmax 2, so values / 2 are [1, -1, 0, 0.5, -0.25]
        let t = Tensor([2, -2, 0, 1, -0.5])
        let q = quantize4bit(t, quantType: .nf4, blockSize: 64)
        // NF4 codes: 1 -> 15, -1 -> 0, 0 -> 7, 0.5 -> 12 (0.4407 is nearer than 0.5626), -0.25 -> 4 (-0.2844)
        #expect(q.codes() == [15, 0, 7, 12, 4])
        #expect(q.packed.count == 3)
        #expect(q.packed.bytes == [0xF0, 0x7C, 0x40])
        #expect(q.absmaxValues() == [2])
        let back = q.dequantize().scalars
        #expect(back == [2, -2, 0, 0.44070982933044434 * 2, -0.28444138169288635 * 2])
    }

    @Test(arguments: QuantType.allCases)
    func everyValueGetsItsNearestCode(quantType: QuantType) {
        let t = Tensor.randn([1000], generator: Generator(seed: 5))
        let q = quantize4bit(t, quantType: quantType, blockSize: 64)
        let codes = q.codes(), scales = q.absmaxValues(), book = quantType.codebook
        for i in 0..<t.count {
            let x = t.pointer[i] / scales[i / 64]
            let best = book.map { abs($0 - x) }.min()!
            #expect(abs(book[Int(codes[i])] - x) <= best + 1e-7, "value \(i)")
        }
    }

    @Test(arguments: QuantType.allCases)
    func roundTripErrorIsAtMostHalfTheWidestGapOfEachBlock(quantType: QuantType) {
        let t = Tensor.randn([64 * 50 + 7], generator: Generator(seed: 6))   // a partial last block too
        let q = quantize4bit(t, quantType: quantType)
        let back = q.dequantize()
        let sorted = Array(Set(quantType.codebook)).sorted()
        let halfGap = zip(sorted, sorted.dropFirst()).map { ($1 - $0) / 2 }.max()!
        let scales = q.absmaxValues()
        for i in 0..<t.count {
            #expect(abs(back.pointer[i] - t.pointer[i]) <= halfGap * scales[i / 64] * (1 + 1e-6))
        }
        // The largest value of each block comes back exactly (code +-1).
        #expect(scales.count == 51)
    }

    @Test func nf4BeatsInt4AndFp4OnNormalWeights() {
        let w = Tensor.normal([64 * 1024], std: 0.02, generator: Generator(seed: 7))
        let error = Dictionary(uniqueKeysWithValues: QuantType.allCases.map { type in
            (type, meanSquaredError(quantize4bit(w, quantType: type).dequantize(), w))
        })
        #expect(error[.nf4]! < error[.int4]!)
        #expect(error[.nf4]! < error[.fp4]!)
    }

    @Test func bitsPerParameterAreMeasuredFromStorage() {
        let n = 64 * 256 * 16
        let w = Tensor.randn([n], generator: Generator(seed: 8))
        let plain = quantize4bit(w, compressStatistics: false)
        #expect(plain.storageBytes == n / 2 + (n / 64) * 4)
        #expect(plain.bitsPerParameter == 4 + 32.0 / 64)                                   // 4.5
        let double = quantize4bit(w, compressStatistics: true)
        #expect(double.storageBytes == n / 2 + n / 64 + (n / 64 / 256) * 4 + 4)           // codes, 8-bit constants, absmax2, offset
        #expect(double.bitsPerParameter == 4 + 8.0 / 64 + 32.0 / (64 * 256) + 32.0 / Double(n))
        #expect(String(format: "%.3f", double.bitsPerParameter) == "4.127")
    }

    @Test func theLedgerSeesThePackedBytes() {
        let w = Tensor.randn([64, 128], generator: Generator(seed: 9))
        for double in [false, true] {
            let ((q, live), _) = MemoryLedger.measure { () -> (Quantized4bit, Int) in
                let q = quantize4bit(w, compressStatistics: double)
                return (q, MemoryLedger.current.liveBytes)     // what is still allocated inside the scope
            }
            #expect(live == q.storageBytes)
            #expect(q.storageBytes < w.count * 4 / 7)    // under 4.6 bits of 32
        }
    }

    @Test func doubleQuantisationKeepsTheConstantsClose() {
        let w = Tensor.normal([64 * 512], std: 0.02, generator: Generator(seed: 10))
        let plain = quantize4bit(w, compressStatistics: false).absmaxValues()
        let double = quantize4bit(w, compressStatistics: true)
        let approx = double.absmaxValues()
        let worst = zip(plain, approx).map { abs($0 - $1) / $0 }.max()!
        #expect(worst < 0.01)      // under 1% per constant
        #expect(meanSquaredError(double.dequantize(), w) < 1.02 * meanSquaredError(quantize4bit(w).dequantize(), w))
    }

    @Test func zeroBlocksStayZero() {
        let t = Tensor.zeros([130])
        for type in QuantType.allCases {
            #expect(quantize4bit(t, quantType: type, compressStatistics: true).dequantize().scalars.allSatisfy { $0 == 0 })
        }
    }

    @Test func badBlockSizeStops() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = quantize4bit(Tensor.zeros([8]), blockSize: 3)
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text == "error: quantize4bit: blockSize must be an even number of at least 2 (got 3); bitsandbytes uses 64\n")
        }
    }
}
