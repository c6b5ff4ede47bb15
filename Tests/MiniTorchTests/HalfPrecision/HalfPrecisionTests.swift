import Testing
@testable import MiniTorch

@Suite("Half precision: rounding through fp16 and bf16")
struct HalfPrecisionTests {
    static func p2(_ e: Int) -> Float { Float(sign: .plus, exponent: e, significand: 1) }

    @Test func float16EdgeValues() {
        let f16 = HalfFormat.float16
        #expect(f16.round(Self.p2(-24)) == Self.p2(-24))               // smallest subnormal is kept
        #expect(f16.round(Self.p2(-25)) == 0)                          // exactly half of it: tie to even (0)
        #expect(f16.round(Self.p2(-25) * 1.5) == Self.p2(-24))         // above half: rounds up
        #expect(f16.round(Self.p2(-26)) == 0)
        #expect(f16.round(1e-8) == 0)
        #expect(f16.round(-1e-9).sign == .minus && f16.round(-1e-9) == 0)   // -0, sign kept
        #expect(f16.round(3 * Self.p2(-24)) == 3 * Self.p2(-24))       // subnormals are exact multiples of 2^-24
        #expect(f16.round(Self.p2(-14)) == Self.p2(-14))               // smallest normal
        #expect(f16.round(Self.p2(-14) - Self.p2(-25)) == Self.p2(-14)) // subnormal rounding carries into the normals
        #expect(f16.round(65504) == 65504)                             // largest finite
        #expect(f16.round(65519.99) == 65504)
        #expect(f16.round(65520) == .infinity)                         // half-way to 65536: tie to even -> inf
        #expect(f16.round(-70000) == -.infinity)
        #expect(f16.round(1 + Self.p2(-10)) == 1 + Self.p2(-10))       // epsilon
        #expect(f16.round(1 + Self.p2(-11)) == 1)                      // tie, to even
        #expect(f16.round(1 + 3 * Self.p2(-11)) == 1 + 2 * Self.p2(-10)) // tie, to even (up)
        #expect(f16.round(1 + Self.p2(-8)) == 1 + Self.p2(-8))
        #expect(f16.round(0.1) == 0.099975586)
        #expect(f16.round(.infinity) == .infinity)
        #expect(f16.round(.nan).isNaN)
        #expect(f16.round(0) == 0)
    }

    @Test func bfloat16EdgeValues() {
        let bf16 = HalfFormat.bfloat16
        #expect(bf16.round(1 + Self.p2(-7)) == 1 + Self.p2(-7))        // epsilon 2^-7
        #expect(bf16.round(1 + Self.p2(-8)) == 1)                      // tie, to even
        #expect(bf16.round(1 + 3 * Self.p2(-8)) == 1 + 2 * Self.p2(-7))
        #expect(bf16.round(1 + Self.p2(-8) + Self.p2(-20)) == 1 + Self.p2(-7))
        #expect(bf16.round(Self.p2(-24)) == Self.p2(-24))              // fp16's underflow is no problem
        #expect(bf16.round(1e-8) != 0 && abs(bf16.round(1e-8) / 1e-8 - 1) <= bf16.unitRoundoff)
        #expect(bf16.round(65520) == 65536)                            // fp16's overflow is no problem
        #expect(bf16.round(3e38) == 226 * Self.p2(120))                 // 3e38 = 225.7 x 2^120; bf16 steps by 2^120 there
        #expect(bf16.round(Float.greatestFiniteMagnitude) == .infinity) // rounds above bf16's max
        #expect(bf16.round(bf16.max) == bf16.max && bf16.max == 3.3895314e38)
        #expect(bf16.round(0.1) == 0.10009765625)
        #expect(bf16.round(.nan).isNaN)
        #expect(bf16.round(-2.5) == -2.5)
    }

    @Test func formatConstants() {
        #expect(HalfFormat.float16.epsilon == Self.p2(-10) && HalfFormat.bfloat16.epsilon == Self.p2(-7))
        #expect(HalfFormat.float16.smallestSubnormal == Self.p2(-24))
        #expect(HalfFormat.float16.smallestNormal == Self.p2(-14))
        #expect(HalfFormat.float16.max == Float(Float16.greatestFiniteMagnitude))
        #expect(HalfFormat.float16.smallestSubnormal == Float(Float16.leastNonzeroMagnitude))
        #expect(HalfFormat.bfloat16.smallestNormal == Float.leastNormalMagnitude)
        #expect(HalfFormat.bfloat16.round(HalfFormat.bfloat16.smallestSubnormal) == HalfFormat.bfloat16.smallestSubnormal)
        #expect(HalfFormat.bfloat16.round(HalfFormat.bfloat16.smallestSubnormal / 2) == 0)
    }

    /// Swift's own Float16 (hardware or compiler-rt conversion) agrees with ours bit for bit on
    /// ~540,000 Float32 patterns spread over every exponent, both signs, NaNs and infinities.
    @Test func float16MatchesSwiftFloat16() {
        var bits: UInt32 = 0
        var mismatches = 0
        while true {
            let x = Float(bitPattern: bits)
            let ours = float16Bits(x), swift = Float16(x).bitPattern
            if x.isNaN { if (ours & 0x7C00) != 0x7C00 || (ours & 0x3FF) == 0 { mismatches += 1 } }
            else if ours != swift { mismatches += 1 }
            let decoded = floatFromFloat16Bits(ours)
            if !x.isNaN && decoded != Float(Float16(bitPattern: ours)) { mismatches += 1 }
            let (next, overflow) = bits.addingReportingOverflow(7919)
            if overflow { break }
            bits = next
        }
        #expect(mismatches == 0)
    }

    /// Rounding to nearest keeps every normal value within half an ulp: relative error <= 2^-p.
    @Test func relativeErrorIsAtMostUnitRoundoff() {
        let g = Generator(seed: 3)
        for format in HalfFormat.allCases {
            var worst: Float = 0
            for _ in 0..<20_000 {
                let x = (1 + g.uniform()) * Float(sign: .plus, exponent: g.int(below: 20) - 10, significand: 1)
                worst = Swift.max(worst, abs(format.round(x) - x) / x)
            }
            #expect(worst <= format.unitRoundoff)
            #expect(worst > 0.9 * format.unitRoundoff)
        }
    }

    @Test func tensorRoundingPassesGradientThrough() {
        let x = Tensor([1e-8, 1, 70000, 0.1], shape: [4], requiresGrad: true)
        let y = x.rounded(to: .float16)
        #expect(y.scalars == [0, 1, .infinity, 0.099975586])
        (y * Tensor([1, 2, 0, 4], shape: [4])).sum().backward()
        #expect(x.grad!.scalars == [1, 2, 0, 4])
    }
}
