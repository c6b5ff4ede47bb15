import Foundation
import MiniTorch

/// The loss a run must get down to (averaged over 10 steps) to count as trained.
public let targetLoss: Float = 0.5

/// A run "stalls" when its final loss (mean of the last 10 steps) is still above this fraction
/// of its start (mean of the first 10).
public let stallFraction: Float = 0.9

/// What a constant-rate run did, in words a table can show.
public enum Verdict: Equatable, Sendable {
    case diverged(step: Int)
    case stalled
    case reachedTarget(step: Int)
    case stillLearning

    public var text: String {
        switch self {
        case .diverged(let step): return "diverged at step \(step)"
        case .stalled: return "stalled"
        case .reachedTarget(let step): return "reached \(targetLoss) at step \(step)"
        case .stillLearning: return "learning, not there yet"
        }
    }
}

public func verdict(of run: TrainingRun) -> Verdict {
    if case .diverged(let step, _) = run.outcome { return .diverged(step: step) }
    if run.tailLoss() > stallFraction * run.headLoss() { return .stalled }
    if let step = run.stepReaching(targetLoss) { return .reachedTarget(step: step) }
    return .stillLearning
}

/// A sweep of constant rates, one per decade, each a fresh model with the same initial weights
/// and the same batches: too low, too high and, in between, the tuned rate.
public struct Sweep: Sendable {
    public let runs: [TrainingRun]
    public let rates: [Float]

    public var tooLow: TrainingRun { runs.first! }
    public var tooHigh: TrainingRun { runs.last! }
    /// The rate whose run ended lowest, among those that did not diverge.
    public var tuned: TrainingRun {
        runs.filter { !$0.diverged }.min { $0.tailLoss() < $1.tailLoss() }!
    }
    public var tunedRate: Float { rates[runs.firstIndex { $0.name == tuned.name }!] }
}

public let sweepRates: [Float] = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1]

// ANCHOR: sweep
public func lrSweep(_ problem: Problem, rates: [Float] = sweepRates, steps: Int,
                    progress: (Int) -> Void = { _ in }) -> Sweep {
    var runs: [TrainingRun] = []
    for (i, rate) in rates.enumerated() {
        // No schedule: the rate alone decides what happens.
        runs.append(train(problem, name: "lr \(rateText(rate))", schedule: ConstantLR(rate), steps: steps))
        progress(i + 1)
    }
    return Sweep(runs: runs, rates: rates)
}
// ANCHOR_END: sweep

/// `1e-05` -> "1e-5", `0.25` -> "0.25": rates as people write them.
public func rateText(_ rate: Float) -> String {
    let exponent = log10(Double(rate))
    if abs(exponent - exponent.rounded()) < 1e-6 && exponent < -1.5 { return "1e\(Int(exponent.rounded()))" }
    return String(format: "%g", Double(rate))
}

/// The warmup comparison: the same high peak rate and linear decay, with and without warmup.
public struct WarmupComparison: Sendable {
    public let peak: Float
    public let warmupSteps: Int
    public let withoutWarmup: TrainingRun
    public let withWarmup: TrainingRun
}

// ANCHOR: warmup
public func compareWarmup(_ problem: Problem, peak: Float = 0.25, warmupSteps: Int = 20,
                          steps: Int) -> WarmupComparison {
    let cold = getScheduler(.linear, learningRate: peak, numWarmupSteps: 0, numTrainingSteps: steps)
    let warm = getScheduler(.linear, learningRate: peak, numWarmupSteps: warmupSteps, numTrainingSteps: steps)
    return WarmupComparison(peak: peak, warmupSteps: warmupSteps,
                            withoutWarmup: train(problem, name: "no warmup", schedule: cold, steps: steps),
                            withWarmup: train(problem, name: "warmup \(warmupSteps)", schedule: warm, steps: steps))
}
// ANCHOR_END: warmup
