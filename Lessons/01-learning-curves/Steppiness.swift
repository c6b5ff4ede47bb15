import Foundation

/// How often, between two consecutive logged measurements, the loss and the accuracy moved.
///
/// Loss is a smooth function of the weights, so any update changes it. Accuracy counts
/// examples whose largest logit is the right class: on N examples it can only take the values
/// 0/N, 1/N, ..., N/N, and it moves only when some example's prediction crosses a boundary.
public struct Steppiness: Sendable, Equatable {
    /// Pairs of consecutive logged rows compared.
    public var intervals: Int
    public var lossChanged: Int
    public var lossFell: Int
    public var accuracyChanged: Int
    /// Intervals where the loss fell and the accuracy stayed exactly where it was.
    public var flatWhileLossFell: Int
    /// How many different values each curve took over the run.
    public var distinctLosses: Int
    public var distinctAccuracies: Int

    public var flatWhileLossFellShare: Double { Double(flatWhileLossFell) / Double(max(intervals, 1)) }
}

// ANCHOR: steppiness
/// Compares each logged value with the one before it.
public func steppiness(loss: [Double], accuracy: [Double]) -> Steppiness {
    var s = Steppiness(intervals: 0, lossChanged: 0, lossFell: 0, accuracyChanged: 0, flatWhileLossFell: 0,
                       distinctLosses: Set(loss).count, distinctAccuracies: Set(accuracy).count)
    for t in 1..<min(loss.count, accuracy.count) {
        let fell = loss[t] < loss[t - 1]
        let accuracyMoved = accuracy[t] != accuracy[t - 1]
        s.intervals += 1
        if loss[t] != loss[t - 1] { s.lossChanged += 1 }
        if fell { s.lossFell += 1 }
        if accuracyMoved { s.accuracyChanged += 1 }
        if fell && !accuracyMoved { s.flatWhileLossFell += 1 }
    }
    return s
}
// ANCHOR_END: steppiness

extension LessonResult {
    public var trainSteppiness: Steppiness {
        steppiness(loss: rows.map(\.trainLoss), accuracy: rows.map(\.trainAccuracy))
    }
    public var validSteppiness: Steppiness {
        steppiness(loss: rows.map(\.validLoss), accuracy: rows.map(\.validAccuracy))
    }
}
