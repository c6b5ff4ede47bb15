import Foundation
import MiniTorch

/// The regression the clipping and NaN runs train on: 8 inputs, one target of a few tens in size.
///
/// y = 10 x sum_j sin(x_j (j + 1) / 2) for x ~ N(0, 1)^8. The factor 10 makes the first errors
/// large, so the first gradients are large: a plain SGD step at a rate that suits the end of
/// training throws the weights far in the first steps. That is the exploding gradient clipping
/// is for (targets left unnormalised, a rare outlier batch, a steep cliff in the loss surface).
public struct RegressionProblem: Sendable {
    public let inputs: [[Float]]     // [N][8]
    public let targets: [Float]      // [N]
    public static let inputSize = 8

    public init(count: Int = 512, seed: Int) {
        let g = Generator(seed: seed)
        var inputs: [[Float]] = [], targets: [Float] = []
        for _ in 0..<count {
            let x = (0..<Self.inputSize).map { _ in g.normal() }
            inputs.append(x)
            targets.append(5 * x.map { Foundation.sin($0) }.reduce(0, +))
        }
        self.inputs = inputs
        self.targets = targets
    }

    public var count: Int { targets.count }

    /// The examples at `indices` as an input batch [B, 8] and a target batch [B, 1].
    public func batch(_ indices: [Int]) -> (inputs: Tensor, targets: Tensor) {
        (Tensor(indices.flatMap { inputs[$0] }, shape: [indices.count, Self.inputSize]),
         Tensor(indices.map { targets[$0] }, shape: [indices.count, 1]))
    }

    /// The example indices of optimizer step `step` (from 0): epochs of a seeded shuffle, cut
    /// into batches of `batchSize`, the last partial batch of an epoch dropped.
    public func indices(step: Int, batchSize: Int, seed: Int) -> [Int] {
        let perEpoch = count / batchSize
        let epoch = step / perEpoch, b = step % perEpoch
        let order = Generator(seed: seed &+ 1000 &* (epoch + 1)).permutation(count)
        return Array(order[(b * batchSize)..<((b + 1) * batchSize)])
    }
}

/// The model of the clipping runs: an 8-64-64-1 MLP with tanh, PyTorch's default init.
public func makeRegressionModel(seed: Int) -> MLP {
    MLP(sizes: [RegressionProblem.inputSize, 64, 64, 1], activation: .tanh, generator: Generator(seed: seed))
}
