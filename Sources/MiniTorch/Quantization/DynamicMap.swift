/// bitsandbytes' signed 8-bit "dynamic" data type, `create_dynamic_map(signed=True,
/// max_exponent_bits=7, total_bits=8)` (bitsandbytes/functional.py; Dettmers 2015,
/// "8-Bit Approximations for Parallelism in Deep Learning", arXiv:1511.04561).
///
/// It is a small floating-point format: for each decade 10^-6 ... 10^0 it places linearly spaced
/// values between 0.1 and 1 of that decade, the larger decades getting more of them (1, 2, 4,
/// ... 64), mirrored for negative numbers, plus 0 and 1: 256 values on [-1, 1], dense near zero.
/// bitsandbytes quantises the absmax constants of 4-bit weights with it when double quantisation
/// is on (`quantize_4bit(compress_statistics=True)` calls `quantize_blockwise(absmax - mean,
/// blocksize=256)` with this map); the QLoRA paper calls that second quantisation "8-bit floats".
public let dynamicMap8bit: [Float] = {
    var data: [Float] = []
    let maxExponentBits = 7, nonSignBits = 7
    for i in 0..<maxExponentBits {
        let fractionItems = (1 << (i + nonSignBits - maxExponentBits)) + 1          // 2, 3, 5, ..., 65
        // torch.linspace(0.1, 1, fractionItems) in float32, then the midpoints of neighbours
        let boundaries = (0..<fractionItems).map { Float(0.1) + (Float(1) - Float(0.1)) * Float($0) / Float(fractionItems - 1) }
        let means = zip(boundaries, boundaries.dropFirst()).map { ($0 + $1) / 2 }
        let scale = Float(pow10(i - (maxExponentBits - 1)))
        data += means.map { scale * $0 }
        data += means.map { -scale * $0 }
    }
    data += [0, 1]
    return data.sorted()
}()

/// 10^k for small integer k, exactly as Python's `10 ** k` (a float for negative k).
private func pow10(_ k: Int) -> Double {
    k >= 0 ? (0..<k).reduce(1.0) { r, _ in r * 10 } : 1 / (0..<(-k)).reduce(1.0) { r, _ in r * 10 }
}
