import Testing
import MiniTorch

/// ex03_2, hidden: num_cycles and steps past the end, as transformers computes them.
@Suite("ex03_2 (hidden): cosine cycles and steps past the end")
struct Ex03_2Hidden {
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
