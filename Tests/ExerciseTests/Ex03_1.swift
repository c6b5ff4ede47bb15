import Testing
import MiniTorch

/// ex03_1 (bug museum): Hugging Face's warmup, off by no step
/// (Sources/MiniTorch/Optim/LRSchedule.swift, `warmupMultiplier`). In transformers'
/// `get_linear_schedule_with_warmup(optimizer, num_warmup_steps=10, num_training_steps=100)`
/// the multiplier is step / 10 for steps 0-9: 0 at step 0, 0.9 at step 9, and the peak, 1, at
/// step 10, where the decay starts. The classic bug, (step + 1) / warmup, reaches the peak a
/// step early and never uses a rate of 0.
@Suite("ex03_1: the warmup, step 0 to peak")
struct Ex03_1 {
    static var linear: HFSchedule { getScheduler(.linear, learningRate: 1, numWarmupSteps: 10, numTrainingSteps: 100) }

    @Test func stepZeroHasRateZero() {
        #expect(Self.linear.lr(at: 0) == 0, "lr at step 0: \(Self.linear.lr(at: 0))")
    }

    @Test func lastWarmupStepIsBelowThePeak() {
        #expect(abs(Self.linear.lr(at: 1) - 0.1) < 1e-7, "lr at step 1: \(Self.linear.lr(at: 1))")
        #expect(abs(Self.linear.lr(at: 5) - 0.5) < 1e-7, "lr at step 5: \(Self.linear.lr(at: 5))")
        #expect(abs(Self.linear.lr(at: 9) - 0.9) < 1e-7, "lr at step 9 (warmup - 1): \(Self.linear.lr(at: 9))")
    }

    @Test func peakAtStepWarmupThenDecay() {
        #expect(abs(Self.linear.lr(at: 10) - 1) < 1e-7, "lr at step 10 (= warmup): \(Self.linear.lr(at: 10))")
        // linear decay after warmup: (100 - 11) / 90
        #expect(abs(Self.linear.lr(at: 11) - 89.0 / 90.0) < 1e-7, "lr at step 11: \(Self.linear.lr(at: 11))")
    }

    @Test func theMultiplierItself() {
        let s = Self.linear
        #expect(s.warmupMultiplier(step: 0, warmupSteps: 4) == 0)
        #expect(s.warmupMultiplier(step: 3, warmupSteps: 4) == 0.75)
        #expect(s.warmupMultiplier(step: 4, warmupSteps: 4) == nil, "step 4 of warmup 4 is past the warmup")
    }
}
