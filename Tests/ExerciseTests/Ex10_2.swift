import Testing
import MiniTorch

/// ex10_2: rounding a Float32 to bfloat16 (Sources/MiniTorch/Tensor/HalfPrecision.swift,
/// `bfloat16Bits`): bf16 is the top 16 bits of a Float32; the 16 bits dropped are rounded to
/// nearest, ties to the even upper half, as PyTorch's `c10::detail::round_to_nearest_even`.
/// Expected patterns: `torch.tensor(x, dtype=torch.float32).bfloat16()` (0.1 -> 0.10009765625).
@Suite("ex10_2: bf16 rounding, to nearest even")
struct Ex10_2 {
    @Test func exactValuesKeepTheirTopBits() {
        #expect(bfloat16Bits(1) == 0x3F80 && bfloat16Bits(-2.5) == 0xC020 && bfloat16Bits(0) == 0)
        #expect(bfloat16Bits(-0.0) == 0x8000, "the sign of -0 is kept")
    }

    /// 0.1 is 0x3DCCCCCD: the dropped 0xCCCD is more than half, so round up (truncation gives 0x3DCC).
    @Test func roundsToNearestNotDown() {
        #expect(bfloat16Bits(0.1) == 0x3DCD, "0.1 -> \(String(bfloat16Bits(0.1), radix: 16)), expected 3dcd")
        #expect(bfloat16Bits(-0.1) == 0xBDCD, "-0.1 -> \(String(bfloat16Bits(-0.1), radix: 16))")
        #expect(bfloat16Bits(3.14159265) == 0x4049, "pi -> \(String(bfloat16Bits(3.14159265), radix: 16))")
        #expect(bfloat16Bits(Float(bitPattern: 0x3F80_8008)) == 0x3F81, "just above half rounds up")
        #expect(bfloat16Bits(Float(bitPattern: 0x3F80_7FFF)) == 0x3F80, "just below half rounds down")
    }

    /// Exactly half-way: 1 + 2^-8 (0x3F808000) goes down to the even 0x3F80; 1 + 3 x 2^-8
    /// (0x3F818000) goes up to the even 0x3F82. Rounding half up gets the first wrong.
    @Test func tiesGoToEven() {
        #expect(bfloat16Bits(1 + 0.00390625) == 0x3F80, "1 + 2^-8 -> \(String(bfloat16Bits(1 + 0.00390625), radix: 16)), expected 3f80")
        #expect(bfloat16Bits(1.01171875) == 0x3F82, "1 + 3 x 2^-8 -> \(String(bfloat16Bits(1.01171875), radix: 16)), expected 3f82")
    }

    /// A carry out of the fraction raises the exponent; out of the largest exponent, inf.
    @Test func carriesIntoTheExponent() {
        #expect(bfloat16Bits(65504) == 0x4780, "65504 -> \(String(bfloat16Bits(65504), radix: 16)), expected 4780 (65536)")
        #expect(bfloat16Bits(.greatestFiniteMagnitude) == 0x7F80, "Float32's max rounds to inf in bf16")
        #expect(bfloat16Bits(.infinity) == 0x7F80 && bfloat16Bits(-.infinity) == 0xFF80)
        #expect(HalfFormat.bfloat16.round(1e-30) == Float(bitPattern: 0x0DA2_0000), "1e-30 -> \(HalfFormat.bfloat16.round(1e-30))")
    }

    @Test func tinyValues() {
        #expect(bfloat16Bits(Float(bitPattern: 0x0001_0000)) == 0x0001, "2^-133, bf16's smallest subnormal, is kept")
        #expect(bfloat16Bits(Float(bitPattern: 0x0000_8000)) == 0, "2^-134, half of it, ties to even 0")
        #expect(bfloat16Bits(Float(bitPattern: 0x0000_8001)) == 1, "just above half of 2^-133 rounds up")
    }
}
