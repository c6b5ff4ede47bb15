/// The 16 values a 4-bit code can stand for, on the scale [-1, 1].
///
/// Block-wise quantisation divides each block by its largest magnitude (its absmax), so every
/// value lands in [-1, 1]; a code book then says which 16 numbers in that range a 4-bit code may
/// mean. Each value is rounded to the nearest entry, and the entry's index (0...15) is stored.
/// The three code books differ only in where they put their 16 points:
///
/// - `nf4`: NormalFloat4 from QLoRA (Dettmers et al. 2023, arXiv:2305.14314): quantiles of a
///   normal distribution, so each code is used about equally often by normally distributed weights.
/// - `fp4`: a 4-bit float with 1 sign, 2 exponent and 1 mantissa bit (E2M1), as bitsandbytes builds it.
/// - `int4`: 15 evenly spaced levels -7/7 ... 7/7, symmetric integer quantisation.
///
/// The values and their index order are bitsandbytes' `get_4bit_type` (bitsandbytes/functional.py).
public enum QuantType: String, Sendable, CaseIterable {
    case nf4, fp4, int4

    /// The code book, indexed by the stored 4-bit code.
    public var codebook: [Float] {
        switch self {
        case .nf4: return nf4Values
        case .fp4: return fp4Values
        case .int4: return int4Values
        }
    }

    /// The code that represents 0 (what an all-zero block stores).
    var zeroCode: UInt8 {
        UInt8(codebook.firstIndex(of: 0)!)
    }
}

/// NF4, bitsandbytes `get_4bit_type("nf4")` (the QLoRA paper's Appendix E lists the same 16
/// values). Fifteen non-zero levels and an exact zero: 7 negative, 8 positive, because
/// `create_normal_map` takes one more quantile on the positive side so that 0 is representable.
let nf4Values: [Float] = [
    -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
    -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
    0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
    0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
]

/// FP4, bitsandbytes `get_4bit_type("fp4")`: the code's high bit is the sign, the three low bits
/// index [0, 0.0625, 8, 12, 4, 6, 2, 3] (two exponent bits and one mantissa bit, 0.0625 the
/// subnormal), divided by the largest, 12.
let fp4Values: [Float] = [0, 0.0625, 8, 12, 4, 6, 2, 3, -0.0, -0.0625, -8, -12, -4, -6, -2, -3].map { $0 / 12 }

/// Int4, bitsandbytes `get_4bit_type("int4")`: [7, 6, ..., 0, -0, ..., -7] / 7.
let int4Values: [Float] = [7, 6, 5, 4, 3, 2, 1, 0, -0.0, -1, -2, -3, -4, -5, -6, -7].map { $0 / 7 }

/// Rounds values on [-1, 1] to their nearest code-book entry, with a binary search over the
/// midpoints between neighbouring entries (what bitsandbytes' `dQuantizeNF4` decision tree does).
struct NearestCode {
    /// Sorted distinct values, the code of each, and the midpoints between neighbours.
    let values: [Float]
    let codes: [UInt8]
    let midpoints: [Float]

    init(_ codebook: [Float]) {
        var seen: [Float: UInt8] = [:]
        for (i, v) in codebook.enumerated() where seen[v] == nil { seen[v] = UInt8(i) }   // 0 and -0 are one key
        values = seen.keys.sorted()
        codes = values.map { seen[$0]! }
        midpoints = zip(values, values.dropFirst()).map { ($0 + $1) / 2 }
    }

    /// The code of the entry nearest to `x` (ties go to the larger entry).
    func callAsFunction(_ x: Float) -> UInt8 {
        var low = 0, high = midpoints.count   // the answer is the number of midpoints <= x
        while low < high {
            let mid = (low + high) / 2
            if midpoints[mid] <= x { low = mid + 1 } else { high = mid }
        }
        return codes[low]
    }
}
