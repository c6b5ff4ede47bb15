import Foundation
import MiniTorch

/// One schedule's rate at every step of a run, for the table and the figure.
public struct ScheduleCurve: Sendable {
    public let name: String
    public let steps: [Int]
    public let lrs: [Float]
}

// ANCHOR: hf-schedules
/// Every Hugging Face schedule (`--lr-scheduler-type`) that needs no options, with the same
/// peak, warmup and length, at steps 0...maxSteps. Step 0 is the first update; step maxSteps is
/// where the rate ends up after the last one (0 for linear and cosine).
public func hfScheduleCurves(learningRate: Float, warmupSteps: Int, maxSteps: Int) -> [ScheduleCurve] {
    SchedulerType.allCases.filter { !$0.requiresSchedulerKwargs }.map { type in
        let schedule = getScheduler(type, learningRate: learningRate, numWarmupSteps: warmupSteps,
                                    numTrainingSteps: maxSteps)
        return ScheduleCurve(name: type.rawValue, steps: Array(0...maxSteps),
                             lrs: (0...maxSteps).map { schedule.lr(at: $0) })
    }
}
// ANCHOR_END: hf-schedules

// ANCHOR: torch-schedules
/// PyTorch's own schedulers over the same run (the rates of updates 0..<maxSteps), set up so
/// each one's shape shows in a hundred steps.
public func torchSchedules(learningRate: Float, maxSteps: Int) -> [(String, LRSchedule)] {
    [
        // Halve the rate every quarter of the run.
        ("StepLR", StepLR(learningRate: learningRate, stepSize: max(1, maxSteps / 4), gamma: 0.5)),
        // Up from peak/25 to the peak over 30% of the run, then down (cosine) to peak/25/10^4.
        ("OneCycleLR", OneCycleLR(maxLR: learningRate, totalSteps: maxSteps)),
        // Between peak/10 and the peak and back, every 40 steps.
        ("CyclicLR", CyclicLR(baseLR: learningRate / 10, maxLR: learningRate, stepSizeUp: 20)),
    ]
}
// ANCHOR_END: torch-schedules

public func torchScheduleCurves(learningRate: Float, maxSteps: Int) -> [ScheduleCurve] {
    torchSchedules(learningRate: learningRate, maxSteps: maxSteps).map { name, schedule in
        ScheduleCurve(name: name, steps: Array(0..<maxSteps), lrs: (0..<maxSteps).map { schedule.lr(at: $0) })
    }
}

// ANCHOR: hf-options
/// Hugging Face schedules with options (`lr_scheduler_kwargs` in TrainingArguments). With their
/// defaults, cosine_with_restarts (num_cycles 1) is the same curve as cosine and polynomial
/// (power 1) is linear decay to 1e-7; the last two schedules do not exist without options.
public func hfOptionCurves(learningRate: Float, warmupSteps: Int, maxSteps: Int) -> [ScheduleCurve] {
    let restarts = getScheduler(.cosineWithRestarts, learningRate: learningRate, numWarmupSteps: warmupSteps,
                                numTrainingSteps: maxSteps, numCycles: 3)
    let squared = getScheduler(.polynomial, learningRate: learningRate, numWarmupSteps: warmupSteps,
                               numTrainingSteps: maxSteps, power: 2)
    return [("cosine_with_restarts_3_cycles", restarts), ("polynomial_power_2", squared),
            ("cosine_with_min_lr", modernSchedule(.cosineWithMinLR, learningRate: learningRate, warmupSteps: warmupSteps, maxSteps: maxSteps)),
            ("warmup_stable_decay", modernSchedule(.warmupStableDecay, learningRate: learningRate, warmupSteps: warmupSteps, maxSteps: maxSteps))]
        .map { name, schedule in
        ScheduleCurve(name: name, steps: Array(0...maxSteps), lrs: (0...maxSteps).map { schedule.lr(at: $0) })
    }
}

/// The two schedules of modern pretraining recipes with the options this lesson gives them:
/// cosine down to a floor of a tenth of the peak (`{"min_lr_rate": 0.1}`), and warmup, a long
/// flat stretch at the peak, then a cosine decay over the last 20% of the steps
/// (`{"num_decay_steps": maxSteps / 5}`).
public func modernSchedule(_ type: SchedulerType, learningRate: Float, warmupSteps: Int, maxSteps: Int) -> HFSchedule {
    let decay = min(maxSteps / 5, maxSteps - warmupSteps)
    return getScheduler(type, learningRate: learningRate, numWarmupSteps: warmupSteps, numTrainingSteps: maxSteps,
                        minLRRate: type == .cosineWithMinLR ? 0.1 : nil, numDecaySteps: decay)
}
// ANCHOR_END: hf-options

/// A schedule for the training run from its Hugging Face name, as `Trainer` builds it from
/// `TrainingArguments(lr_scheduler_type=..., warmup_steps=..., max_steps=...)`.
public func makeSchedule(_ type: SchedulerType, learningRate: Float, warmupSteps: Int, maxSteps: Int) -> LRSchedule {
    if type.requiresSchedulerKwargs {
        return modernSchedule(type, learningRate: learningRate, warmupSteps: warmupSteps, maxSteps: maxSteps)
    }
    return getScheduler(type, learningRate: learningRate, numWarmupSteps: warmupSteps, numTrainingSteps: maxSteps)
}
