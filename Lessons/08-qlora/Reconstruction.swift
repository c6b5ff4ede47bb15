import Foundation
import MiniTorch

/// How well each 4-bit code book reproduces a set of weights.
public struct ReconstructionError: Sendable {
    public let quantType: QuantType
    /// sum (w - w_hat)^2 / sum w^2: the share of the weights' energy the rounding loses.
    public let relativeError: Double
    /// Mean |w - w_hat|.
    public let meanAbsoluteError: Double
    /// How often each of the 16 codes was stored, as fractions (indexed by code).
    public let codeUsage: [Double]
    /// Entropy of the code usage in bits: 4 if every code is used equally often.
    public var codeEntropy: Double {
        -codeUsage.filter { $0 > 0 }.reduce(0) { $0 + $1 * log2($1) }
    }
}

// ANCHOR: reconstruct
/// Quantises every tensor of `weights` with `quantType` (block-wise, blocks of `blockSize`),
/// dequantises it again and measures what was lost.
public func reconstructionError(_ weights: [Tensor], quantType: QuantType, blockSize: Int = 64) -> ReconstructionError {
    var squaredError = 0.0, energy = 0.0, absoluteError = 0.0, count = 0
    var usage = [Int](repeating: 0, count: 16)
    for w in weights {
        let q = quantize4bit(w, quantType: quantType, blockSize: blockSize)   // 4-bit codes + absmax per block
        let back = q.dequantize()                                            // codebook[code] * absmax
        for i in 0..<w.count {
            let (x, y) = (Double(w.pointer[i]), Double(back.pointer[i]))
            squaredError += (x - y) * (x - y)
            absoluteError += abs(x - y)
            energy += x * x
        }
        for code in q.codes() { usage[Int(code)] += 1 }
        count += w.count
    }
    return ReconstructionError(quantType: quantType, relativeError: squaredError / energy,
                               meanAbsoluteError: absoluteError / Double(count),
                               codeUsage: usage.map { Double($0) / Double(count) })
}
// ANCHOR_END: reconstruct

/// The weight matrices QLoRA quantises: every `Linear` inside the encoder layers.
public func encoderLinearWeights(_ model: Module) -> [(String, Tensor)] {
    model.namedModules().compactMap { path, module in
        guard path.contains("encoder.layer."), let linear = module as? Linear else { return nil }
        return (path, linear.weight)
    }
}

/// The same comparison on the encoder's weights and on samples of a normal distribution.
public struct CodebookComparison: Sendable {
    public let onWeights: [ReconstructionError]
    public let onNormal: [ReconstructionError]
    public let weightCount: Int
    public let sampleCount: Int
    /// The weights' own spread, and their excess kurtosis (0 for a normal distribution).
    public let weightStd: Double
    public let weightKurtosis: Double
}

public func compareCodebooks(model: Module, normalSamples: Int, seed: Int) -> CodebookComparison {
    let weights = encoderLinearWeights(model).map(\.1)
    let all = weights.flatMap(\.scalars).map(Double.init)
    let mean = all.reduce(0, +) / Double(all.count)
    let variance = all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(all.count)
    let fourth = all.reduce(0) { $0 + pow($1 - mean, 4) } / Double(all.count)
    // Normal samples with the weights' spread (the scale does not matter: absmax divides it out).
    let normal = Tensor.normal([normalSamples], std: Float(variance.squareRoot()), generator: Generator(seed: UInt64(seed) &+ 800))
    return CodebookComparison(
        onWeights: QuantType.allCases.map { reconstructionError(weights, quantType: $0) },
        onNormal: QuantType.allCases.map { reconstructionError([normal], quantType: $0) },
        weightCount: all.count, sampleCount: normalSamples,
        weightStd: variance.squareRoot(), weightKurtosis: fourth / (variance * variance) - 3)
}
