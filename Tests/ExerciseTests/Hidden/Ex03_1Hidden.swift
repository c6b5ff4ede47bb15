import Testing
import MiniTorch

/// ex03_1, hidden: the same warmup in other schedules, at another peak and warmup length.
@Suite("ex03_1 (hidden): warmup in every schedule")
struct Ex03_1Hidden {
    @Test func otherSchedulesAndPeaks() {
        let constant = getScheduler(.constantWithWarmup, learningRate: 3e-4, numWarmupSteps: 3, numTrainingSteps: 50)
        #expect(constant.lr(at: 0) == 0)
        #expect(abs(constant.lr(at: 1) - 1e-4) < 1e-10 && abs(constant.lr(at: 2) - 2e-4) < 1e-10, "\(constant.lr(at: 1)), \(constant.lr(at: 2))")
        #expect(abs(constant.lr(at: 3) - 3e-4) < 1e-10, "peak at step 3: \(constant.lr(at: 3))")
        let short = getScheduler(.linear, learningRate: 1, numWarmupSteps: 1, numTrainingSteps: 5)
        #expect(short.lr(at: 0) == 0 && short.lr(at: 1) == 1, "warmup 1: \(short.lr(at: 0)), \(short.lr(at: 1))")
    }

    @Test func noWarmupStartsAtThePeak() {
        let linear = getScheduler(.linear, learningRate: 1, numWarmupSteps: 0, numTrainingSteps: 10)
        #expect(linear.lr(at: 0) == 1, "no warmup: lr at step 0 is \(linear.lr(at: 0))")
    }
}
