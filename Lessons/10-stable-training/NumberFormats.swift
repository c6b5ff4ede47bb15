import Foundation
import MiniTorch

/// A value a learner should know the 16-bit fate of, with why it is interesting.
public struct EdgeValue: Sendable {
    public var label: String
    public var value: Float
    public var fp16: Float { HalfFormat.float16.round(value) }
    public var bf16: Float { HalfFormat.bfloat16.round(value) }
}

private func p2(_ e: Int) -> Float { Float(sign: .plus, exponent: e, significand: 1) }

// ANCHOR: edges
/// The values at the edges of fp16 and bf16.
public let edgeValues: [EdgeValue] = [
    EdgeValue(label: "1 + 2^-8", value: 1 + p2(-8)),                 // fp16 keeps it; bf16's tie goes to 1
    EdgeValue(label: "1 + 2^-11", value: 1 + p2(-11)),               // half of fp16's epsilon: tie to 1
    EdgeValue(label: "0.1", value: 0.1),
    EdgeValue(label: "65504 (fp16 max)", value: 65504),
    EdgeValue(label: "65520", value: 65520),                         // half-way to 65536: rounds to inf
    EdgeValue(label: "1e5", value: 1e5),
    EdgeValue(label: "2^-14 (fp16 min normal)", value: p2(-14)),
    EdgeValue(label: "2^-24 (fp16 min subnormal)", value: p2(-24)),
    EdgeValue(label: "1.5 x 2^-25", value: 1.5 * p2(-25)),           // above half of 2^-24: up to 2^-24
    EdgeValue(label: "2^-25", value: p2(-25)),                       // exactly half: tie to even, 0
    EdgeValue(label: "1e-8", value: 1e-8),
    EdgeValue(label: "1e-30", value: 1e-30),
]
// ANCHOR_END: edges

/// The largest and the mean relative rounding error of a format over many random values, and
/// the decimal digits it keeps, -log10(largest error).
public struct RoundingError: Sendable {
    public var format: HalfFormat
    public var largest: Double
    public var mean: Double
    public var digits: Double { -log10(largest) }
}

/// Rounds `count` random values spread over [2^-10, 2^10) (log-uniform, all normal in both
/// formats) and measures |round(x) - x| / |x|.
public func measureRoundingError(_ format: HalfFormat, count: Int = 100_000, seed: Int) -> RoundingError {
    let g = Generator(seed: seed)
    var largest = 0.0, total = 0.0
    for _ in 0..<count {
        let x = Float(sign: .plus, exponent: g.int(below: 20) - 10, significand: 1 + g.uniform())
        let error = Double(abs(format.round(x) - x) / x)
        largest = Swift.max(largest, error)
        total += error
    }
    return RoundingError(format: format, largest: largest, mean: total / Double(count))
}
