import MiniTorch

/// Reads a pair of loss curves the way lesson 05 teaches: overfit, underfit, erratic or well-fit.
///
/// Pass per-epoch (or per-evaluation) losses: `train[i]` and `validation[j]`, at least 3 each;
/// the two may have different lengths (they are compared by their position in the run).
/// The rules are checked in this order, and the first that matches gives the label:
///
/// 1. erratic: the training curve jumps around its own trend. Its noise (mean distance from a
///    centred 5-point moving average) is above `erraticNoiseOfLevel` of the loss level AND
///    above `erraticNoiseOfDrop` of the drop of the trend. Both, so that a flat underfit curve
///    (tiny noise, no drop) and a falling mini-batch curve (noise small next to its drop) are
///    not called erratic. A NaN or infinite loss is erratic too.
/// 2. underfit: training loss barely falls: the mean of the last tenth of the curve is above
///    `underfitFinalShare` of the mean of the first tenth.
/// 3. overfit: validation loss (smoothed over 3 points) bottoms out no later than
///    `overfitMinimumBefore` of the way through, ends more than `overfitRise` above that minimum
///    (relative), while training loss ends at least `overfitTrainStillFalling` lower than it was
///    at the validation minimum.
/// 4. well-fit: none of the above.
public struct CurveDiagnosis: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case overfit, underfit, erratic
        case wellFit = "well-fit"
    }

    public let kind: Kind
    /// One line of evidence, with the numbers.
    public let reason: String

    public var description: String { "\(kind.rawValue): \(reason)" }

    // The thresholds were set on lesson 05's real runs (per-epoch losses of a 2-128-128-2 MLP on
    // 200 noisy spiral points, the untrained epoch 0 included). There a clearly jagged run
    // (learning rate 0.05, batch 4) jumps by only about 3.5% of its level and 11% of its drop,
    // while the smooth runs stay under 1.5% of their level: loss measured on a whole set at the
    // end of an epoch is much calmer than a single batch's loss. And with 20% flipped labels the
    // best reachable loss is high (about 0.5 against ln 2 = 0.69 at the start), so a healthy run
    // that learned most of what it could in its first tenth ends near 80% of that tenth's mean.
    /// Rule 1: noise above 2.5% of the loss level...
    public static let erraticNoiseOfLevel = 0.025
    /// ...and above 5% of how far the trend fell.
    public static let erraticNoiseOfDrop = 0.05
    /// Rule 2: ending above 90% of the starting loss is "barely fell".
    public static let underfitFinalShare = 0.90
    /// Rule 3: the validation minimum lies in the first 80% of the run...
    public static let overfitMinimumBefore = 0.80
    /// ...the final validation loss is over 10% above that minimum...
    public static let overfitRise = 0.10
    /// ...and the training loss fell by at least another 5% after it.
    public static let overfitTrainStillFalling = 0.05
}

public func diagnose(train: [Float], validation: [Float]) -> CurveDiagnosis {
    if train.count < 3 || validation.count < 3 {
        fail("diagnose: needs at least 3 points on each curve (got \(train.count) training, \(validation.count) validation)")
    }
    let t = train.map(Double.init), v = validation.map(Double.init)
    func pct(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }
    func num(_ x: Double) -> String { MetricsLog.format((x * 1000).rounded() / 1000) }   // 3 decimals: 0.564, not 0.5636375

    // 1. erratic
    if let bad = (t + v).first(where: { !$0.isFinite }) {
        return CurveDiagnosis(kind: .erratic, reason: "a loss became \(bad.isNaN ? "NaN" : "infinite"); the run diverged")
    }
    let trend = movingAverage(t, window: 5)
    let noise = zip(t, trend).map { abs($0 - $1) }.reduce(0, +) / Double(t.count)
    let level = t.reduce(0, +) / Double(t.count)
    let drop = Swift.max(trend[0] - trend.min()!, 0)
    if noise > CurveDiagnosis.erraticNoiseOfLevel * level && noise > CurveDiagnosis.erraticNoiseOfDrop * drop {
        return CurveDiagnosis(kind: .erratic, reason: "training loss jumps by \(num(noise)) around its trend (\(pct(noise / level)) of its level, \(drop > 0 ? pct(noise / drop) : "more than all") of its drop)")
    }

    // 2. underfit
    let tenth = Swift.max(1, t.count / 10)
    let start = t.prefix(tenth).reduce(0, +) / Double(tenth)
    let end = t.suffix(tenth).reduce(0, +) / Double(tenth)
    if end > CurveDiagnosis.underfitFinalShare * start {
        return CurveDiagnosis(kind: .underfit, reason: "training loss only fell from \(num(start)) to \(num(end)) (\(pct(end / start)) of its start)")
    }

    // 3. overfit
    let o = overfitEvidence(trainTrend: trend, validation: v)
    if o.isOverfit {
        return CurveDiagnosis(kind: .overfit, reason: "validation loss was lowest at point \(o.best + 1) of \(v.count) (\(num(o.validationMinimum))) and rose \(pct(o.validationEnd / o.validationMinimum - 1)) by the end while training loss fell from \(num(o.trainAtBest)) to \(num(o.trainEnd))")
    }

    // 4. well-fit
    return CurveDiagnosis(kind: .wellFit, reason: "training loss fell to \(pct(end / start)) of its start and validation loss ends within \(pct(o.validationEnd / o.validationMinimum - 1)) of its minimum")
}

/// What rule 3 of `diagnose` measures on the two curves, and its verdict.
public struct OverfitEvidence: Sendable, Equatable {
    /// Index of the lowest point of the smoothed validation curve (the first, on a tie).
    public var best: Int
    /// The smoothed validation loss there, and at the last point.
    public var validationMinimum: Double
    public var validationEnd: Double
    /// The training trend at the same position of the run as `best`, and at its last point.
    public var trainAtBest: Double
    public var trainEnd: Double
    public var isOverfit: Bool
}

/// Rule 3 of `diagnose`: smooth the validation losses over 3 points (`movingAverage`) and find
/// their minimum; read the training trend at the same fraction of the run (the curves may have
/// different lengths: position i of n is the fraction i / (n - 1)) and at its end. Overfit when
/// the minimum comes no later than `overfitMinimumBefore` of the run, the last smoothed
/// validation loss is more than `overfitRise` above the minimum (relative), and the training
/// trend ends more than `overfitTrainStillFalling` below where it was at the minimum.
func overfitEvidence(trainTrend trend: [Double], validation v: [Double]) -> OverfitEvidence {
    // BEGIN SOLUTION ex05_3
    let smooth = movingAverage(v, window: 3)
    let best = smooth.indices.min { smooth[$0] < smooth[$1] }!
    let bestPosition = Double(best) / Double(v.count - 1)
    let vMin = smooth[best], vEnd = smooth[v.count - 1]
    let trainAtBest = trend[Int((bestPosition * Double(trend.count - 1)).rounded())]
    let trainEnd = trend[trend.count - 1]
    let isOverfit = bestPosition <= CurveDiagnosis.overfitMinimumBefore
        && vEnd > vMin * (1 + CurveDiagnosis.overfitRise)
        && trainEnd < trainAtBest * (1 - CurveDiagnosis.overfitTrainStillFalling)
    return OverfitEvidence(best: best, validationMinimum: vMin, validationEnd: vEnd,
                           trainAtBest: trainAtBest, trainEnd: trainEnd, isOverfit: isOverfit)
    // END SOLUTION
}

/// Centred moving average; near the ends the window shrinks to what exists.
func movingAverage(_ x: [Double], window: Int) -> [Double] {
    let half = window / 2
    return x.indices.map { i in
        let lo = Swift.max(0, i - half), hi = Swift.min(x.count - 1, i + half)
        return x[lo...hi].reduce(0, +) / Double(hi - lo + 1)
    }
}
