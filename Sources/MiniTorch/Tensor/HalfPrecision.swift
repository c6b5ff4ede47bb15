/// The two 16-bit float formats of mixed-precision training, simulated by rounding Float32 values
/// through their bit patterns (what `x.to(torch.float16).float()` does to a value).
///
/// IEEE 754 binary16, "fp16" (`torch.float16`): 1 sign bit, 5 exponent bits (bias 15), 10 fraction
/// bits, so 11 bits of precision. Largest finite value 65504, smallest normal 2^-14, smallest
/// subnormal 2^-24: a gradient of 1e-8 has no fp16 value and becomes 0.
///
/// bfloat16, "bf16" (`torch.bfloat16`, Google Brain's format): the top 16 bits of a Float32, so
/// 1 sign bit, Float32's 8 exponent bits and 7 fraction bits: Float32's range (up to ~3.4e38,
/// down to ~1e-38 normal) with 8 bits of precision, about 2.4 decimal digits.
///
/// Both round to nearest, ties to even, as IEEE 754's default mode and PyTorch's conversions do.
public enum HalfFormat: String, CaseIterable, Sendable {
    case float16 = "fp16"
    case bfloat16 = "bf16"

    /// Bits of significand precision, the implicit leading 1 included: 11 and 8.
    public var precisionBits: Int { self == .float16 ? 11 : 8 }
    /// The gap between 1 and the next value, 2^-(p-1) (`torch.finfo(dtype).eps`): 2^-10 and 2^-7.
    public var epsilon: Float { Float(sign: .plus, exponent: 1 - precisionBits, significand: 1) }
    /// The largest relative rounding error of a normal value, half of epsilon: 2^-11 and 2^-8.
    public var unitRoundoff: Float { epsilon / 2 }
    /// The largest finite value (`torch.finfo(dtype).max`): 65504 and ~3.39e38.
    public var max: Float { self == .float16 ? 65504 : Float(bitPattern: 0x7F7F_0000) }
    /// The smallest positive normal value (`torch.finfo(dtype).tiny`): 2^-14 and 2^-126.
    public var smallestNormal: Float { self == .float16 ? Float(sign: .plus, exponent: -14, significand: 1) : .leastNormalMagnitude }
    /// The smallest positive value, a subnormal: 2^-24 and 2^-133.
    public var smallestSubnormal: Float {
        Float(sign: .plus, exponent: self == .float16 ? -24 : -133, significand: 1)
    }

    /// `x` rounded to this format and widened back to Float32 (exact: both formats fit in Float32).
    public func round(_ x: Float) -> Float {
        switch self {
        case .float16: return floatFromFloat16Bits(float16Bits(x))
        case .bfloat16: return floatFromBFloat16Bits(bfloat16Bits(x))
        }
    }
}

// MARK: - fp16

/// The fp16 bit pattern nearest to `x` (ties to even): overflow gives inf, values at or below
/// 2^-25 (half the smallest subnormal) give 0, NaN stays NaN. The sign is kept, so -1e-9 -> -0.
public func float16Bits(_ x: Float) -> UInt16 {
    let bits = x.bitPattern
    let sign = UInt16((bits >> 16) & 0x8000)
    let exponent = Int((bits >> 23) & 0xFF)          // Float32's biased exponent
    let fraction = bits & 0x7F_FFFF                  // its 23 fraction bits
    if exponent == 0xFF {                            // inf, or NaN (kept quiet, with its top payload bits)
        return sign | 0x7C00 | (fraction != 0 ? 0x200 | UInt16(fraction >> 13) : 0)
    }
    let e = exponent - 127 + 15                      // the exponent re-biased for fp16
    if e >= 31 { return sign | 0x7C00 }              // 2^16 and above: too large, inf
    if e <= 0 {
        // Subnormal in fp16: a multiple of 2^-24. The Float32 value is m x 2^(exponent-150) with
        // the implicit 1 in m, so it holds m >> (14 - e) whole units of 2^-24 plus a remainder.
        let shift = 14 - e
        if shift > 24 { return sign }                // below 2^-25: rounds to 0
        let m = fraction | 0x80_0000
        return sign | UInt16(roundShift(m, by: shift))   // a carry into 0x400 is the smallest normal, correctly
    }
    // Normal: keep the top 10 of the 23 fraction bits and round on the other 13. A carry out of
    // the fraction bumps the exponent, and out of the largest exponent gives inf (0x7C00).
    return sign | UInt16(roundShift(UInt32(e) << 23 | fraction, by: 13))
}

/// The Float32 value of an fp16 bit pattern (exact).
public func floatFromFloat16Bits(_ h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exponent = Int((h >> 10) & 0x1F)
    let fraction = UInt32(h & 0x3FF)
    switch exponent {
    case 0:                                          // zero or subnormal: fraction x 2^-24
        let magnitude = Float(fraction) * Float(sign: .plus, exponent: -24, significand: 1)
        return sign != 0 ? -magnitude : magnitude
    case 0x1F:                                       // inf or NaN
        return Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)
    default:
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | fraction << 13)
    }
}

/// `value >> shift`, rounded to nearest with ties to even (shift >= 1).
private func roundShift(_ value: UInt32, by shift: Int) -> UInt32 {
    let kept = value >> UInt32(shift)
    let rest = value & ((1 << UInt32(shift)) - 1)
    let half: UInt32 = 1 << UInt32(shift - 1)
    return rest > half || (rest == half && kept & 1 == 1) ? kept + 1 : kept
}

// MARK: - bf16

/// The bf16 bit pattern nearest to `x`: the top 16 bits of its Float32 pattern, rounded to nearest
/// even on the 16 dropped bits, as PyTorch's `c10::detail::round_to_nearest_even` (c10/util/BFloat16.h).
/// Values near Float32's max may round up to inf; NaN stays a (quiet) NaN.
public func bfloat16Bits(_ x: Float) -> UInt16 {
    if x.isNaN { return UInt16(x.bitPattern >> 16) | 0x40 }
    // BEGIN SOLUTION ex10_2
    let bits = x.bitPattern
    let roundingBias: UInt32 = 0x7FFF + ((bits >> 16) & 1)   // ties go to the even upper half
    return UInt16((bits &+ roundingBias) >> 16)
    // END SOLUTION
}

/// The Float32 value of a bf16 bit pattern: the pattern with 16 zero bits below it (exact).
public func floatFromBFloat16Bits(_ b: UInt16) -> Float {
    Float(bitPattern: UInt32(b) << 16)
}

// MARK: - Tensors

extension Tensor {
    /// Every element rounded through `format` and widened back, as `x.to(dtype).float()`.
    /// The backward passes the gradient through unchanged (PyTorch's cast backward casts the
    /// gradient back to Float32, which changes nothing for a Float32 gradient).
    public func rounded(to format: HalfFormat) -> Tensor {
        let out = map { format.round($0) }
        out.recordBackward("rounded(to: \(format.rawValue))", from: [self]) { g in [g] }
        return out
    }
}
