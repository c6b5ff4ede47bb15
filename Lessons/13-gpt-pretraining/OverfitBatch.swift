import Foundation
import MiniTorch

public struct OverfitResult: Sendable {
    public let losses: [Double]
}

/// The first sanity check of any training loop: one fixed batch, trained on again and again,
/// must be learnt by heart (loss near 0). If it is not, the bug is in the loop (targets, mask,
/// optimizer wiring), not in the data or the model's size.
public func overfitOneBatch(_ s: Settings, corpus: TokenCorpus) -> OverfitResult {
    let generator = Generator(seed: s.seed + 1)
    let model = GPT2LMHeadModel(config: s.modelConfig, generator: generator)
    let batch = randomBatch(corpus.train, batchSize: 4, context: s.nPositions, generator: generator)
    var settings = s
    settings.weightDecay = 0
    let optimizer = pretrainingOptimizer(model, settings)
    optimizer.learningRate = 3e-3
    var losses: [Double] = []
    for _ in 0..<s.overfitSteps {
        let loss = crossEntropy(model(inputIds: batch.inputs, shape: batch.shape).reshape([-1, s.vocabSize]), batch.targets)
        optimizer.zeroGrad()
        loss.backward()
        clipGradNorm(optimizer.parameters, maxNorm: s.maxGradNorm)
        optimizer.step()
        losses.append(Double(loss.item()))
    }
    return OverfitResult(losses: losses)
}
