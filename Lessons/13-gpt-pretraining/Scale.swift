import Foundation
import MiniTorch

/// This model against GPT-2 small, in parameters, tokens and compute.
public struct ScaleFigures: Sendable {
    public let parameters: Int
    /// Parameters without the position table (nanoGPT's `get_num_params`): what 6N counts.
    public let nonPositionParameters: Int
    /// Training FLOPs per token: 6N for the matrix products forward and backward, plus
    /// 12 x layers x width x context for attention's own products (nanoGPT's `estimate_mfu`).
    public let flopsPerToken: Double
    public let tokensPerSecond: Double
    public var flopsPerSecond: Double { flopsPerToken * tokensPerSecond }
    /// This machine's matrix-multiply rate (a 512 x 512 x 512 product, one thread), FLOP/s.
    public let matmulFlopsPerSecond: Double
    public static let gpt2SmallParameters = 124_439_808

    public init(model: GPT2LMHeadModel, settings s: Settings, stepMilliseconds: Double) {
        parameters = model.parameterCount()
        nonPositionParameters = parameters - model.transformer.wpe.weight.count
        flopsPerToken = 6 * Double(nonPositionParameters) + 12 * Double(s.nLayer * s.nEmbd * s.nPositions)
        tokensPerSecond = Double(s.tokensPerStep) / (stepMilliseconds / 1000)
        let a = Tensor.randn([512, 512], generator: Generator(seed: 1)), b = Tensor.randn([512, 512], generator: Generator(seed: 2))
        var best = Double.infinity
        for _ in 0..<10 {
            let start = Date()
            _ = a.matmul(b)
            best = min(best, Date().timeIntervalSince(start))
        }
        matmulFlopsPerSecond = 2 * 512 * 512 * 512 / best
    }

    /// Share of the matrix-multiply rate the training step reaches.
    public var utilisation: Double { flopsPerSecond / matmulFlopsPerSecond }
}
