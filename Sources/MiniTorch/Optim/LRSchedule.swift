import Foundation

/// A learning-rate schedule as a pure value: ask it for the rate at any optimizer step.
///
/// PyTorch's schedulers are stateful (`scheduler.step()` moves them on); here the Trainer asks
/// `lr(at: step)` before each update and sets `optimizer.learningRate`, which gives the same
/// numbers and lets a lesson plot a schedule without running anything. Step 0 is the first update.
public protocol LRSchedule: CustomStringConvertible {
    func lr(at step: Int) -> Float
}

/// Hugging Face's schedule names (`lr_scheduler_type` in TrainingArguments), as
/// `transformers.SchedulerType`: its `LambdaLR` schedules. Hugging Face also lists
/// `reduce_lr_on_plateau` (PyTorch's `ReduceLROnPlateau`, driven by the evaluation metric, not a
/// function of the step) and, in recent releases, `cosine_warmup_with_min_lr` (a variant whose
/// warmup starts above 0); MiniTorch has neither.
public enum SchedulerType: String, CaseIterable, Sendable {
    case linear
    case cosine
    case cosineWithRestarts = "cosine_with_restarts"
    case polynomial
    case constant
    case constantWithWarmup = "constant_with_warmup"
    case inverseSqrt = "inverse_sqrt"
    case cosineWithMinLR = "cosine_with_min_lr"
    case warmupStableDecay = "warmup_stable_decay"

    /// The two that Hugging Face refuses to build without `lr_scheduler_kwargs`: cosine_with_min_lr
    /// needs `min_lr` or `min_lr_rate`, warmup_stable_decay needs `num_decay_steps`.
    public var requiresSchedulerKwargs: Bool { self == .cosineWithMinLR || self == .warmupStableDecay }
}

/// The shape of warmup_stable_decay's warmup or decay (`warmup_type`, `decay_type`).
public enum WSDShape: String, Sendable {
    case linear, cosine
    case oneMinusSqrt = "1-sqrt"
}

/// The Hugging Face schedules (transformers/optimization.py): a multiplier `lambda(step)` of the
/// peak rate, as their `LambdaLR(optimizer, lr_lambda)`. Every warmup is
/// `step / max(1, numWarmupSteps)`, so the rate is 0 at step 0 and the peak at step
/// `numWarmupSteps`.
public struct HFSchedule: LRSchedule {
    public let type: SchedulerType
    public let learningRate: Float
    public let numWarmupSteps: Int
    public let numTrainingSteps: Int
    public let numCycles: Double
    public let power: Double
    public let lrEnd: Double
    public let timescale: Int?
    /// The floor as a fraction of the peak: cosine_with_min_lr's `min_lr_rate`, warmup_stable_decay's
    /// `min_lr_ratio` (0 for the other schedules).
    public let minLRRate: Double
    /// warmup_stable_decay: steps at the peak, steps of decay, and the shape of each ramp.
    public let numStableSteps: Int
    public let numDecaySteps: Int
    public let warmupType: WSDShape
    public let decayType: WSDShape

    public func lr(at step: Int) -> Float { Float(Double(learningRate) * multiplier(at: step)) }

    /// The `lr_lambda` of the Hugging Face schedule.
    public func multiplier(at step: Int) -> Double {
        let s = Double(step), warmup = Double(numWarmupSteps), total = Double(numTrainingSteps)
        if type == .constant { return 1 }   // get_constant_schedule: no warmup
        if type == .warmupStableDecay { return wsdMultiplier(at: step) }   // its own warmup, lifted by min_lr_ratio
        if numWarmupSteps > 0, let rising = warmupMultiplier(step: step, warmupSteps: numWarmupSteps) {
            return rising
        }
        switch type {
        case .constant, .constantWithWarmup:
            return 1
        case .linear:   // _get_linear_schedule_with_warmup_lr_lambda
            return Swift.max(0, (total - s) / Swift.max(1, total - warmup))
        case .cosine:   // _get_cosine_schedule_with_warmup_lr_lambda; numCycles 0.5 = half a cosine down to 0
            // BEGIN SOLUTION ex03_2
            let progress = (s - warmup) / Swift.max(1, total - warmup)   // 0 at the end of warmup, 1 at the last step
            return Swift.max(0, 0.5 * (1 + cos(Double.pi * numCycles * 2 * progress)))
            // END SOLUTION
        case .cosineWithRestarts:   // _get_cosine_with_hard_restarts_schedule_with_warmup_lr_lambda
            let progress = (s - warmup) / Swift.max(1, total - warmup)
            if progress >= 1 { return 0 }
            return Swift.max(0, 0.5 * (1 + cos(Double.pi * ((numCycles * progress).truncatingRemainder(dividingBy: 1)))))
        case .polynomial:   // _get_polynomial_decay_schedule_with_warmup_lr_lambda: from lr_init down to lr_end
            let lrInit = Double(learningRate)
            if step > numTrainingSteps { return lrEnd / lrInit }
            let pctRemaining = 1 - (s - warmup) / (total - warmup)
            return ((lrInit - lrEnd) * pow(pctRemaining, power) + lrEnd) / lrInit
        case .inverseSqrt:   // _get_inverse_sqrt_schedule_lr_lambda
            let ts = Double(timescale ?? (numWarmupSteps > 0 ? numWarmupSteps : 10_000))
            let shift = ts - warmup
            return 1 / ((s + shift) / ts).squareRoot()
        case .cosineWithMinLR:   // _get_cosine_schedule_with_warmup_lr_lambda with min_lr_rate: the cosine lifted onto the floor
            let progress = (s - warmup) / Swift.max(1, total - warmup)
            let factor = 0.5 * (1 + cos(Double.pi * numCycles * 2 * progress))
            return Swift.max(0, factor * (1 - minLRRate) + minLRRate)
        case .warmupStableDecay:
            return wsdMultiplier(at: step)
        }
    }

    /// `_get_wsd_scheduler_lambda`: warmup from min_lr_ratio to 1, flat at 1 for numStableSteps,
    /// decay back to min_lr_ratio over numDecaySteps, then min_lr_ratio for good. Each ramp is
    /// linear, cosine or 1 - sqrt; the decay's last step is one step short of the floor.
    func wsdMultiplier(at step: Int) -> Double {
        func shape(_ type: WSDShape, warmup progress: Double) -> Double {
            switch type {
            case .linear: return progress
            case .cosine: return 0.5 * (1 - cos(Double.pi * progress))
            case .oneMinusSqrt: return 1 - (1 - progress).squareRoot()
            }
        }
        func shape(_ type: WSDShape, decay progress: Double) -> Double {
            switch type {
            case .linear: return 1 - progress
            case .cosine: return 0.5 * (1 + cos(Double.pi * numCycles * 2 * progress))
            case .oneMinusSqrt: return 1 - progress.squareRoot()
            }
        }
        if step < numWarmupSteps {
            let progress = Double(step) / Double(Swift.max(1, numWarmupSteps))
            return Swift.max(0, shape(warmupType, warmup: progress) * (1 - minLRRate) + minLRRate)
        }
        if step < numWarmupSteps + numStableSteps { return 1 }
        if step < numWarmupSteps + numStableSteps + numDecaySteps {
            let progress = Double(step - numWarmupSteps - numStableSteps) / Double(Swift.max(1, numDecaySteps))
            return Swift.max(0, shape(decayType, decay: progress) * (1 - minLRRate) + minLRRate)
        }
        return minLRRate
    }

    /// The warmup of every Hugging Face schedule: `step / warmupSteps` while `step < warmupSteps`
    /// (0 at step 0, so the first update uses a rate of 0), nil from step `warmupSteps` on, where
    /// the schedule's own decay takes over at its peak.
    public func warmupMultiplier(step: Int, warmupSteps: Int) -> Double? {
        // BEGIN SOLUTION ex03_1
        guard step < warmupSteps else { return nil }
        return Double(step) / Double(warmupSteps)
        // END SOLUTION
    }

    public var description: String {
        var extra = ""
        switch type {
        case .cosine, .cosineWithRestarts: extra = ", numCycles \(numCycles)"
        case .polynomial: extra = ", power \(power), lrEnd \(lrEnd)"
        case .inverseSqrt: extra = ", timescale \(timescale ?? (numWarmupSteps > 0 ? numWarmupSteps : 10_000))"
        case .cosineWithMinLR: extra = ", numCycles \(numCycles), minLRRate \(minLRRate)"
        case .warmupStableDecay:
            extra = ", stable \(numStableSteps), decay \(numDecaySteps) (\(decayType.rawValue)), minLRRatio \(minLRRate)"
        default: break
        }
        return "\(type.rawValue) (peak \(learningRate), warmup \(numWarmupSteps), total \(numTrainingSteps)\(extra))"
    }
}

/// Hugging Face's `get_scheduler(name, optimizer, num_warmup_steps, num_training_steps,
/// scheduler_specific_kwargs)`. `numCycles` defaults to 0.5 for cosine (one half-cosine) and
/// 1 for cosine_with_restarts, as the two HF functions do. The keyword arguments of the last two
/// schedules, as `lr_scheduler_kwargs` carries them:
/// - cosine_with_min_lr: `minLR` (absolute) or `minLRRate` (a fraction of the peak), exactly one;
/// - warmup_stable_decay: `numDecaySteps` (required), `numStableSteps` (default: whatever
///   `numTrainingSteps` leaves after warmup and decay), `warmupType` (linear), `decayType`
///   (cosine) and `minLRRatio` (0).
public func getScheduler(_ type: SchedulerType, learningRate: Float, numWarmupSteps: Int = 0,
                         numTrainingSteps: Int, numCycles: Double? = nil, power: Double = 1,
                         lrEnd: Double = 1e-7, timescale: Int? = nil,
                         minLR: Double? = nil, minLRRate: Double? = nil,
                         numDecaySteps: Int? = nil, numStableSteps: Int? = nil,
                         warmupType: WSDShape = .linear, decayType: WSDShape = .cosine,
                         minLRRatio: Double = 0) -> HFSchedule {
    if numWarmupSteps < 0 || numTrainingSteps < 0 {
        fail("getScheduler: numWarmupSteps (\(numWarmupSteps)) and numTrainingSteps (\(numTrainingSteps)) must not be negative")
    }
    var floor = 0.0, stable = 0, decay = 0
    switch type {
    case .cosineWithMinLR:
        // HF: "Only one of min_lr or min_lr_rate should be set" / "One of min_lr or min_lr_rate should be set".
        switch (minLR, minLRRate) {
        case (.some, .some): fail("getScheduler: cosine_with_min_lr: set only one of minLR and minLRRate")
        case (.some(let lr), nil): floor = lr / Double(learningRate)
        case (nil, .some(let rate)): floor = rate
        case (nil, nil): fail("getScheduler: cosine_with_min_lr needs minLR or minLRRate (Hugging Face: lr_scheduler_kwargs={\"min_lr_rate\": 0.1})")
        }
    case .warmupStableDecay:
        guard let d = numDecaySteps, d >= 0 else {
            fail("getScheduler: warmup_stable_decay needs numDecaySteps >= 0 (Hugging Face: lr_scheduler_kwargs={\"num_decay_steps\": ...})")
        }
        decay = d
        stable = numStableSteps ?? (numTrainingSteps - numWarmupSteps - d)
        if stable < 0 {
            fail("getScheduler: warmup_stable_decay: warmup (\(numWarmupSteps)) + decay (\(d)) steps exceed numTrainingSteps (\(numTrainingSteps))")
        }
        floor = minLRRatio
    default:
        break
    }
    if type == .polynomial && !(Double(learningRate) > lrEnd) {
        // HF: "lr_end (...) must be smaller than initial lr (...)"
        fail("getScheduler: polynomial: lrEnd (\(lrEnd)) must be smaller than the learning rate (\(learningRate))")
    }
    if type == .polynomial && numTrainingSteps <= numWarmupSteps {
        fail("getScheduler: polynomial: numTrainingSteps (\(numTrainingSteps)) must exceed numWarmupSteps (\(numWarmupSteps))")
    }
    return HFSchedule(type: type, learningRate: learningRate, numWarmupSteps: numWarmupSteps,
                      numTrainingSteps: numTrainingSteps,
                      numCycles: numCycles ?? (type == .cosineWithRestarts ? 1 : 0.5),
                      power: power, lrEnd: lrEnd, timescale: timescale, minLRRate: floor,
                      numStableSteps: stable, numDecaySteps: decay, warmupType: warmupType, decayType: decayType)
}

/// PyTorch `torch.optim.lr_scheduler.StepLR`: multiply by `gamma` every `stepSize` steps,
/// lr = base * gamma^floor(step / stepSize).
public struct StepLR: LRSchedule {
    public let learningRate: Float
    public let stepSize: Int
    public let gamma: Float

    public init(learningRate: Float, stepSize: Int, gamma: Float = 0.1) {
        if stepSize < 1 { fail("StepLR: stepSize must be at least 1 (got \(stepSize))") }
        self.learningRate = learningRate
        self.stepSize = stepSize
        self.gamma = gamma
    }

    public func lr(at step: Int) -> Float {
        Float(Double(learningRate) * pow(Double(gamma), Double(step / stepSize)))
    }

    public var description: String { "StepLR (lr \(learningRate), stepSize \(stepSize), gamma \(gamma))" }
}

/// How OneCycleLR moves between two rates.
public enum AnnealStrategy: String, Sendable {
    case cos, linear
}

/// PyTorch `torch.optim.lr_scheduler.OneCycleLR` with `three_phase=False` (fastai's 1cycle):
/// from maxLR/divFactor up to maxLR over the first `pctStart` of the steps, then down to
/// initial/finalDivFactor. PyTorch's phase ends are `pct_start * total_steps - 1` and
/// `total_steps - 1`, so the peak falls on step `pctStart * totalSteps - 1`.
public struct OneCycleLR: LRSchedule {
    public let maxLR: Float
    public let totalSteps: Int
    public let pctStart: Double
    public let annealStrategy: AnnealStrategy
    public let divFactor: Double
    public let finalDivFactor: Double

    public init(maxLR: Float, totalSteps: Int, pctStart: Double = 0.3, annealStrategy: AnnealStrategy = .cos,
                divFactor: Double = 25, finalDivFactor: Double = 1e4) {
        if totalSteps < 1 { fail("OneCycleLR: totalSteps must be at least 1 (got \(totalSteps))") }
        if !(pctStart >= 0 && pctStart <= 1) { fail("OneCycleLR: pctStart must be in [0, 1] (got \(pctStart))") }
        self.maxLR = maxLR
        self.totalSteps = totalSteps
        self.pctStart = pctStart
        self.annealStrategy = annealStrategy
        self.divFactor = divFactor
        self.finalDivFactor = finalDivFactor
    }

    public var initialLR: Double { Double(maxLR) / divFactor }
    public var minLR: Double { initialLR / finalDivFactor }

    /// `_annealing_cos` / `_annealing_linear`: from `start` (pct 0) to `end` (pct 1).
    func anneal(_ start: Double, _ end: Double, _ pct: Double) -> Double {
        switch annealStrategy {
        case .cos: return end + (start - end) / 2 * (cos(Double.pi * pct) + 1)
        case .linear: return (end - start) * pct + start
        }
    }

    public func lr(at step: Int) -> Float {
        if step > totalSteps { fail("OneCycleLR: step \(step) is past totalSteps \(totalSteps)") }
        let s = Double(step)
        let warmupEnd = pctStart * Double(totalSteps) - 1, end = Double(totalSteps) - 1
        if s <= warmupEnd {
            return Float(anneal(initialLR, Double(maxLR), s / warmupEnd))
        }
        return Float(anneal(Double(maxLR), minLR, (s - warmupEnd) / (end - warmupEnd)))
    }

    public var description: String {
        "OneCycleLR (maxLR \(maxLR), totalSteps \(totalSteps), pctStart \(pctStart), \(annealStrategy.rawValue))"
    }
}

/// PyTorch `torch.optim.lr_scheduler.CyclicLR`: the rate climbs from baseLR to maxLR over
/// `stepSizeUp` steps and back down over `stepSizeDown` (default the same), forever.
/// `.triangular` keeps the height, `.triangular2` halves it every cycle, `.expRange` scales it
/// by gamma^step.
public struct CyclicLR: LRSchedule {
    public enum Mode: String, Sendable { case triangular, triangular2, expRange = "exp_range" }

    public let baseLR: Float
    public let maxLR: Float
    public let stepSizeUp: Int
    public let stepSizeDown: Int
    public let mode: Mode
    public let gamma: Double

    public init(baseLR: Float, maxLR: Float, stepSizeUp: Int = 2000, stepSizeDown: Int? = nil,
                mode: Mode = .triangular, gamma: Double = 1) {
        if stepSizeUp < 1 { fail("CyclicLR: stepSizeUp must be at least 1 (got \(stepSizeUp))") }
        self.baseLR = baseLR
        self.maxLR = maxLR
        self.stepSizeUp = stepSizeUp
        self.stepSizeDown = stepSizeDown ?? stepSizeUp
        self.mode = mode
        self.gamma = gamma
    }

    public func lr(at step: Int) -> Float {
        // PyTorch CyclicLR.get_lr
        let totalSize = Double(stepSizeUp + stepSizeDown)
        let stepRatio = Double(stepSizeUp) / totalSize
        let cycle = (1 + Double(step) / totalSize).rounded(.down)
        let x = 1 + Double(step) / totalSize - cycle
        let scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1)
        let height = Double(maxLR - baseLR) * scaleFactor
        let scale: Double
        switch mode {
        case .triangular: scale = 1
        case .triangular2: scale = 1 / pow(2, cycle - 1)
        case .expRange: scale = pow(gamma, Double(step))
        }
        return Float(Double(baseLR) + height * scale)
    }

    public var description: String {
        "CyclicLR (\(mode.rawValue), baseLR \(baseLR), maxLR \(maxLR), stepSizeUp \(stepSizeUp), stepSizeDown \(stepSizeDown))"
    }
}
