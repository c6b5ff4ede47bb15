import Foundation
import MiniTorch

/// The memory arithmetic of fine-tuning: what the weights, gradients, optimizer states and
/// quantisation constants of a model of N parameters take, before activations.
///
/// Per parameter, in bytes:
///
///     weights              bits / 8          32-bit 4, 16-bit 2, NF4 0.5
///     quantisation consts  (4.5 - 4) / 8     0.0625 with blocks of 64; 0.127 / 8 with double quantisation
///     gradients            2                 16-bit, one per trainable parameter
///     AdamW states         8                 exp_avg and exp_avg_sq in 32 bits, per trainable parameter
///
/// A full 16-bit fine-tune trains every parameter: 2 + 2 + 8 = 12 bytes each, so a 65B model
/// needs 780 GB (the QLoRA paper's "more than 780 GB"). QLoRA stores the frozen base in NF4
/// with double quantisation (4.127 bits) and trains only LoRA adapters, whose weights,
/// gradients and states are a small extra.
public struct FinetuneMemory: Sendable {
    /// How the frozen (or trained) base weights are stored.
    public enum WeightFormat: Sendable, Equatable {
        case float32, bfloat16
        /// Block-wise 4-bit (NF4 or FP4) with 32-bit block constants, or double-quantised ones.
        case fourBit(blockSize: Int, doubleQuantization: Bool)

        /// Bits a parameter for the values themselves.
        public var valueBits: Double {
            switch self {
            case .float32: return 32
            case .bfloat16: return 16
            case .fourBit: return 4
            }
        }

        /// Bits a parameter for the block constants: 32/64, or 8/64 + 32/(64 x 256).
        public var constantBits: Double {
            switch self {
            case .float32, .bfloat16: return 0
            case .fourBit(let block, let double):
                // BEGIN SOLUTION ex08_3
                return double ? 8 / Double(block) + 32 / Double(block * 256) : 32 / Double(block)
                // END SOLUTION
            }
        }
    }

    /// One row of the breakdown: a name, its bytes, and the arithmetic that gave them.
    public struct Line: Sendable {
        public let name: String
        public let bytes: Double
        public let arithmetic: String
    }

    public var parameters: Double
    public var weights: WeightFormat
    /// Parameters that receive gradients and optimizer state: all of them for a full fine-tune,
    /// the adapters' for LoRA.
    public var trainableParameters: Double
    /// Whether the trainable parameters are separate adapters (stored on top of the base) rather
    /// than the base weights themselves.
    public var adapters: Bool
    /// Bytes a trainable parameter's weight (for adapters), gradient and optimizer state take.
    public var adapterBytes: Double = 2
    public var gradientBytes: Double = 2
    public var optimizerBytes: Double = 8

    public init(parameters: Double, weights: WeightFormat, trainableParameters: Double, adapters: Bool) {
        self.parameters = parameters
        self.weights = weights
        self.trainableParameters = trainableParameters
        self.adapters = adapters
    }

    /// A full fine-tune of every parameter with 16-bit weights and gradients and 32-bit AdamW.
    public static func fullFinetune16bit(parameters: Double) -> FinetuneMemory {
        FinetuneMemory(parameters: parameters, weights: .bfloat16, trainableParameters: parameters, adapters: false)
    }

    /// QLoRA: an NF4 base (blocks of 64, double quantisation) plus 16-bit LoRA adapters trained with 32-bit AdamW.
    public static func qlora(parameters: Double, loraParameters: Double) -> FinetuneMemory {
        FinetuneMemory(parameters: parameters, weights: .fourBit(blockSize: 64, doubleQuantization: true),
                       trainableParameters: loraParameters, adapters: true)
    }

    /// LoRA parameters for `layers` identical blocks whose adapted matrices have the given
    /// (in, out) sizes: r x (in + out) for each.
    public static func loraParameters(r: Int, layers: Int, matrices: [(in: Int, out: Int)]) -> Double {
        // BEGIN SOLUTION ex07_3
        let perLayer = matrices.reduce(0) { $0 + r * ($1.in + $1.out) }
        return Double(layers) * Double(perLayer)
        // END SOLUTION
    }

    // ANCHOR: lines
    public var lines: [Line] {
        let n = parameters, t = trainableParameters
        var result = [Line(name: "weights", bytes: n * weights.valueBits / 8,
                           arithmetic: "\(count(n)) x \(number(weights.valueBits)) bits / 8")]
        if weights.constantBits > 0 {
            let formula: String
            if case .fourBit(let block, let double) = weights {
                formula = double ? "8/\(block) + 32/(\(block) x 256) = \(number(weights.constantBits)) bits" : "32/\(block) = \(number(weights.constantBits)) bits"
            } else { formula = "" }
            result.append(Line(name: "quantization constants", bytes: n * weights.constantBits / 8,
                               arithmetic: "\(count(n)) x \(formula) / 8"))
        }
        if adapters {
            result.append(Line(name: "adapter weights", bytes: t * adapterBytes, arithmetic: "\(count(t)) x \(number(adapterBytes)) B"))
        }
        result.append(Line(name: "gradients", bytes: t * gradientBytes, arithmetic: "\(count(t)) x \(number(gradientBytes)) B"))
        result.append(Line(name: "AdamW states", bytes: t * optimizerBytes, arithmetic: "\(count(t)) x \(number(optimizerBytes)) B (exp_avg + exp_avg_sq, 32-bit)"))
        return result
    }
    // ANCHOR_END: lines

    /// Everything but activations, in bytes.
    public var totalBytes: Double { lines.reduce(0) { $0 + $1.bytes } }

    /// Whether it fits a GPU of `gigabytes` (1 GB = 10^9 bytes), leaving `totalBytes` aside.
    public func fits(gigabytes: Double) -> Bool { totalBytes <= gigabytes * 1e9 }
}

/// 65e9 -> "65.0B", 8.0e8 -> "799.5M": parameter counts as people say them.
private func count(_ n: Double) -> String {
    if n >= 1e9 { return String(format: "%.1fB", n / 1e9) }
    if n >= 1e6 { return String(format: "%.1fM", n / 1e6) }
    return String(format: "%.0f", n)
}

/// 4 -> "4", 0.127 -> "0.127", 0.0019531 -> "0.00195": short, without trailing zeros.
private func number(_ x: Double) -> String {
    if x == x.rounded() { return String(format: "%.0f", x) }
    var s = String(format: "%.5f", x)
    while s.hasSuffix("0") { s.removeLast() }
    return s
}
