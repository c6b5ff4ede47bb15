import Foundation
import MiniTorch

/// The result of an LR range test: the rate, raw loss and smoothed loss at every step it ran,
/// and the rates it suggests.
public struct RangeTestResult: Sendable {
    public let lrs: [Float]
    public let losses: [Float]
    public let smoothedLosses: [Float]
    /// The step where the test stopped because the smoothed loss exploded, if it did.
    public let stoppedAt: Int?
    /// The rate where the smoothed loss was lowest.
    public let minimumLossLR: Float
    /// The rate where the smoothed loss fell fastest against log(lr).
    public let steepestLR: Float
    /// The suggestion: one tenth of the minimum-loss rate (fastai's `lr_min`).
    public var suggestedLR: Float { minimumLossLR / 10 }
}

// ANCHOR: range-test
/// Leslie Smith's LR range test, as fastai's `lr_find`: one short run whose rate grows
/// exponentially from `startLR` to `endLR`, lr_i = start * (end / start)^(i / (steps - 1)),
/// recording an exponentially smoothed loss. It stops early once the smoothed loss is more than
/// 4 times the best seen (the rate is far too high by then).
///
/// fastai smooths with beta 0.98, an average over about 50 steps: in a 100-step test that lags
/// by three decades of rate. Beta 0.9 averages over about 10 steps, enough to calm batch noise.
public func lrRangeTest(_ problem: Problem, startLR: Float = 1e-6, endLR: Float = 1, steps: Int = 100,
                        beta: Float = 0.9) -> RangeTestResult {
    let model = problem.makeModel()
    let optimizer = AdamW(parameters: model.parameters(), learningRate: startLR, weightDecay: 0)
    let lossFunction = CrossEntropyLoss()
    var lrs: [Float] = [], losses: [Float] = [], smoothed: [Float] = []
    var average: Float = 0, stoppedAt: Int? = nil
    for (step, batch) in problem.batches(count: steps).enumerated() {
        let lr = startLR * pow(endLR / startLR, Float(step) / Float(steps - 1))
        optimizer.learningRate = lr
        let loss = lossFunction(model(batch.inputs), batch.labels)
        let value = loss.item()
        // fastai's smoothing: a running average, divided by (1 - beta^(i+1)) so early values are not biased to 0.
        average = beta * average + (1 - beta) * value
        let smooth = average / (1 - pow(beta, Float(step + 1)))
        lrs.append(lr); losses.append(value); smoothed.append(smooth)
        if !smooth.isFinite || smooth > 4 * (smoothed.min() ?? smooth) { stoppedAt = step; break }
        optimizer.zeroGrad()
        loss.backward()
        optimizer.step()
    }
    return RangeTestResult(lrs: lrs, losses: losses, smoothedLosses: smoothed, stoppedAt: stoppedAt,
                           minimumLossLR: minimumLossRate(lrs: lrs, smoothed: smoothed),
                           steepestLR: steepestRate(lrs: lrs, smoothed: smoothed))
}
// ANCHOR_END: range-test

// ANCHOR: suggestions
/// The rate at the lowest finite smoothed loss (the first one, on a tie).
public func minimumLossRate(lrs: [Float], smoothed: [Float]) -> Float {
    // BEGIN SOLUTION ex03_3
    let finite = smoothed.indices.filter { smoothed[$0].isFinite }
    let best = finite.min { smoothed[$0] < smoothed[$1] } ?? 0
    return lrs[best]
    // END SOLUTION
}

/// The rate where the smoothed loss drops fastest per unit of log(lr): the most negative
/// slope (loss[i + 1] - loss[i - 1]) / (log lr[i + 1] - log lr[i - 1]), before the minimum.
/// With fewer than two points before the minimum there is no slope to take: the minimum's rate.
public func steepestRate(lrs: [Float], smoothed: [Float]) -> Float {
    // BEGIN SOLUTION ex03_3
    let finite = smoothed.indices.filter { smoothed[$0].isFinite }
    let best = finite.min { smoothed[$0] < smoothed[$1] } ?? 0
    guard best >= 2 else { return lrs[best] }
    let slope = { (i: Int) -> Float in
        (smoothed[i + 1] - smoothed[i - 1]) / (log(lrs[i + 1]) - log(lrs[i - 1]))
    }
    let steepest = (1..<best).min { slope($0) < slope($1) }!
    return lrs[steepest]
    // END SOLUTION
}
// ANCHOR_END: suggestions
