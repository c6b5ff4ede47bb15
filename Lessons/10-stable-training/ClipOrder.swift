import Foundation
import MiniTorch

/// Clipping under loss scaling, done in the two possible orders on the same scaled gradients.
public struct ClipOrder: Sendable, Equatable {
    public var lossScale: Float
    public var maxNorm: Float
    /// The true gradient norm, without scaling.
    public var trueNorm: Float
    /// Clip first, then unscale: the norm clipping sees (and a log reports) and the norm of the
    /// gradients the optimizer then gets.
    public var clipFirstLoggedNorm: Float
    public var clipFirstFinalNorm: Float
    /// Unscale first, then clip (PyTorch's recipe): the same two numbers.
    public var unscaleFirstLoggedNorm: Float
    public var unscaleFirstFinalNorm: Float
}

// ANCHOR: clip-order
/// The first batch of the precision runs' classifier, backward through `loss x lossScale`, then
/// clipped to `maxNorm` before unscaling (the bug) and after it (`scaler.unscale_(optimizer)`,
/// then `clip_grad_norm_`).
public func compareClipOrder(_ settings: PrecisionSettings, maxNorm: Float = 1) -> ClipOrder {
    func scaledGradients() -> [Tensor] {
        let data = makeBlobs(settings)
        let model = MLP(sizes: [2, 64, 64, 4], generator: Generator(seed: settings.seed))   // the runs' first weights
        let loader = DataLoader(data, batchSize: settings.batchSize, shuffle: true, dropLast: true, seed: settings.seed,
                                collate: Batch.collate)
        let batch = loader.epoch(0).first { _ in true }!
        let loss = CrossEntropyLoss()(model(batch.inputs), batch.labels)   // [B, 2] -> [B, 4] -> scalar
        (loss * settings.lossScale).backward()                          // every gradient S times larger
        return model.parameters()
    }
    func norm(_ ps: [Tensor]) -> Float {
        ps.compactMap(\.grad).flatMap(\.scalars).reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
    let wrong = scaledGradients()
    let wrongLogged = clipGradNorm(wrong, maxNorm: maxNorm)              // compares S |g| with maxNorm
    unscaleGradients(wrong, scale: settings.lossScale)
    let right = scaledGradients()
    unscaleGradients(right, scale: settings.lossScale)
    let trueNorm = norm(right)
    let rightLogged = clipGradNorm(right, maxNorm: maxNorm)              // compares |g| with maxNorm
    return ClipOrder(lossScale: settings.lossScale, maxNorm: maxNorm, trueNorm: trueNorm,
                     clipFirstLoggedNorm: wrongLogged, clipFirstFinalNorm: norm(wrong),
                     unscaleFirstLoggedNorm: rightLogged, unscaleFirstFinalNorm: norm(right))
}
// ANCHOR_END: clip-order

/// The chapter's lines.
public func clipOrderText(_ c: ClipOrder) -> String {
    func f(_ x: Float) -> String { String(format: "%.3e", Double(x)) }
    return """
    loss scale \(f(c.lossScale)), max_grad_norm \(f(c.maxNorm)), true gradient norm \(f(c.trueNorm))
    clip, then unscale:  grad_norm logged \(f(c.clipFirstLoggedNorm)), norm the optimizer gets \(f(c.clipFirstFinalNorm))
    unscale, then clip:  grad_norm logged \(f(c.unscaleFirstLoggedNorm)), norm the optimizer gets \(f(c.unscaleFirstFinalNorm))
    """
}
