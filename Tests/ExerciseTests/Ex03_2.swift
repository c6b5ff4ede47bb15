import Foundation
import Testing
import MiniTorch

/// ex03_2: the cosine schedule after warmup (Sources/MiniTorch/Optim/LRSchedule.swift, the
/// `.cosine` case of `HFSchedule.multiplier`). Hugging Face's
/// `get_cosine_schedule_with_warmup`: with p = (t - w) / (T - w), the multiplier is
/// max(0, 0.5 (1 + cos(2 pi c p))), c = 0.5 cycles by default. Values from Python's math.
@Suite("ex03_2: the cosine schedule with warmup")
struct Ex03_2 {
    static var cosine: HFSchedule { getScheduler(.cosine, learningRate: 1, numWarmupSteps: 10, numTrainingSteps: 110) }

    @Test func peakAtTheEndOfWarmupZeroAtTheEnd() {
        #expect(abs(Self.cosine.lr(at: 10) - 1) < 1e-6, "lr at step 10 (end of warmup): \(Self.cosine.lr(at: 10))")
        #expect(abs(Self.cosine.lr(at: 110)) < 1e-6, "lr at step 110 (the last): \(Self.cosine.lr(at: 110))")
    }

    @Test func halfwayIsHalfThePeak() {
        #expect(abs(Self.cosine.lr(at: 60) - 0.5) < 1e-6, "lr at step 60 (halfway through the decay): \(Self.cosine.lr(at: 60))")
    }

    @Test func aQuarterOfTheWay() {
        // p = 0.25: 0.5 (1 + cos(pi / 4)) = 0.8535533905932737
        #expect(abs(Self.cosine.lr(at: 35) - 0.8535533905932737) < 1e-6, "lr at step 35: \(Self.cosine.lr(at: 35))")
        // p = 0.75: 0.5 (1 + cos(3 pi / 4)) = 0.14644660940672627
        #expect(abs(Self.cosine.lr(at: 85) - 0.14644660940672627) < 1e-6, "lr at step 85: \(Self.cosine.lr(at: 85))")
    }

    @Test func scalesWithThePeak() {
        let s = getScheduler(.cosine, learningRate: 2e-5, numWarmupSteps: 0, numTrainingSteps: 100)
        #expect(abs(s.lr(at: 0) - 2e-5) < 1e-11, "no warmup, step 0: \(s.lr(at: 0))")
        #expect(abs(s.lr(at: 50) - 1e-5) < 1e-11, "no warmup, step 50: \(s.lr(at: 50))")
    }

    @Test func oneFullCycleComesBackUp() {
        let s = getScheduler(.cosine, learningRate: 1, numWarmupSteps: 0, numTrainingSteps: 100, numCycles: 1)
        #expect(abs(s.lr(at: 50)) < 1e-6, "num_cycles 1, step 50: \(s.lr(at: 50))")
        #expect(abs(s.lr(at: 25) - 0.5) < 1e-6, "num_cycles 1, step 25: \(s.lr(at: 25))")
        #expect(abs(s.lr(at: 100) - 1) < 1e-6, "num_cycles 1, step 100: \(s.lr(at: 100))")
    }

    @Test func pastTheEndFollowsTheFormula() {
        // p = 1.1: 0.5 (1 + cos(1.1 pi)) = 0.024471741852423234 (transformers does not clamp p).
        let s = getScheduler(.cosine, learningRate: 1, numWarmupSteps: 10, numTrainingSteps: 110)
        #expect(abs(s.lr(at: 120) - 0.024471741852423234) < 1e-6, "step 120 of 110: \(s.lr(at: 120))")
    }
}
