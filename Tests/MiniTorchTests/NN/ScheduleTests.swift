import Foundation
import Testing
@testable import MiniTorch

/// Peak 1e-3, warmup 10, total 100, checked at steps 0, 10 (warmup end), 55 (mid) and 100 (end).
@Suite("Learning-rate schedules")
struct ScheduleTests {
    let peak: Float = 1e-3
    func hf(_ type: SchedulerType) -> HFSchedule {
        getScheduler(type, learningRate: peak, numWarmupSteps: 10, numTrainingSteps: 100)
    }
    func values(_ s: some LRSchedule, _ steps: [Int] = [0, 10, 55, 100]) -> [Float] { steps.map { s.lr(at: $0) } }

    @Test func warmupGivesZeroAtStartAndPeakAtWarmupEnd() {
        for type in SchedulerType.allCases where type != .constant && !type.requiresSchedulerKwargs {
            #expect(hf(type).lr(at: 0) == 0, "\(type)")
            #expect(nnClose(hf(type).lr(at: 5), 5e-4), "\(type)")   // 5 / 10 of the peak
            #expect(nnClose(hf(type).lr(at: 10), 1e-3), "\(type)")
        }
        #expect(values(hf(.constant)) == [peak, peak, peak, peak])   // get_constant_schedule: no warmup
    }

    @Test func linear() {
        // max(0, (100 - s) / (100 - 10)): s = 55 -> 45/90 = 0.5; s = 100 -> 0.
        #expect(nnClose(values(hf(.linear)), [0, 1e-3, 5e-4, 0]))
        #expect(hf(.linear).lr(at: 120) == 0)
    }

    @Test func cosine() {
        // progress = (s - 10) / 90; 0.5 * (1 + cos(pi * 0.5 * 2 * progress)): mid (0.5) -> 0.5, end -> 0.
        #expect(nnClose(values(hf(.cosine)), [0, 1e-3, 5e-4, 0]))
        let progress = (30.0 - 10) / 90
        #expect(nnClose(hf(.cosine).lr(at: 30), 1e-3 * 0.5 * (1 + cos(Double.pi * progress))))
    }

    @Test func cosineWithRestarts() {
        // numCycles 1: 0.5 * (1 + cos(pi * ((1 * progress) % 1))): mid -> 0.5, progress >= 1 -> 0.
        #expect(nnClose(values(hf(.cosineWithRestarts)), [0, 1e-3, 5e-4, 0]))
        // Two cycles restart at progress 0.5 (step 55) back to the peak; step 32.5 is a cycle's middle.
        let two = getScheduler(.cosineWithRestarts, learningRate: peak, numWarmupSteps: 10, numTrainingSteps: 100, numCycles: 2)
        #expect(nnClose(two.lr(at: 55), 1e-3) && nnClose(two.lr(at: 54), 1e-3 * 0.5 * (1 + cos(Double.pi * (2 * 44.0 / 90).truncatingRemainder(dividingBy: 1)))))
    }

    @Test func polynomial() {
        // lr_end 1e-7, power 1: (1e-3 - 1e-7) * (1 - (s - 10)/90)^1 + 1e-7; mid -> 5.0005e-4, end -> lr_end.
        #expect(nnClose(values(hf(.polynomial)), [0, 1e-3, 5.0005e-4, 1e-7]))
        #expect(nnClose(hf(.polynomial).lr(at: 150), 1e-7))
        let squared = getScheduler(.polynomial, learningRate: peak, numWarmupSteps: 10, numTrainingSteps: 100, power: 2, lrEnd: 0)
        #expect(nnClose(squared.lr(at: 55), 2.5e-4))
    }

    @Test func constantWithWarmup() {
        #expect(nnClose(values(hf(.constantWithWarmup)), [0, 1e-3, 1e-3, 1e-3]))
    }

    @Test func inverseSqrt() {
        // timescale defaults to numWarmupSteps = 10, shift 0: 1 / sqrt(s / 10).
        #expect(nnClose(values(hf(.inverseSqrt)), [0, 1e-3, 1e-3 / 5.5.squareRoot(), 1e-3 / 10.0.squareRoot()]))
        #expect(nnClose(hf(.inverseSqrt).lr(at: 55), 4.2640143e-4))
        // With no warmup the timescale is 10,000 and the shift 10,000 - 0: at step 30,000, 1 / sqrt(40,000 / 10,000) = 0.5.
        let noWarmup = getScheduler(.inverseSqrt, learningRate: peak, numWarmupSteps: 0, numTrainingSteps: 100)
        #expect(nnClose(noWarmup.lr(at: 0), 1e-3) && nnClose(noWarmup.lr(at: 30_000), 5e-4))
    }

    @Test func rawValuesAreHuggingFaceNames() {
        #expect(SchedulerType.allCases.map(\.rawValue) == ["linear", "cosine", "cosine_with_restarts", "polynomial",
                                                           "constant", "constant_with_warmup", "inverse_sqrt",
                                                           "cosine_with_min_lr", "warmup_stable_decay"])
        #expect(SchedulerType.allCases.filter(\.requiresSchedulerKwargs) == [.cosineWithMinLR, .warmupStableDecay])
        #expect(SchedulerType(rawValue: "cosine_with_restarts") == .cosineWithRestarts)
        #expect(hf(.cosine).description == "cosine (peak 0.001, warmup 10, total 100, numCycles 0.5)")
    }

    /// Expected values computed in Python from transformers' `_get_cosine_schedule_with_warmup_lr_lambda`
    /// with `min_lr_rate` (what `get_cosine_with_min_lr_schedule_with_warmup` uses).
    @Test func cosineWithMinLR() {
        let s = getScheduler(.cosineWithMinLR, learningRate: peak, numWarmupSteps: 10, numTrainingSteps: 100, minLRRate: 0.1)
        #expect(nnClose(values(s, [0, 5, 10, 30, 55, 100]), [0, 5e-4, 1e-3, 8.9471999940354e-4, 5.5e-4, 1e-4], 1e-9))
        // Past the last step the cosine turns back up, as HF's lambda does.
        #expect(nnClose(s.lr(at: 120), 2.052800005964599e-4, 1e-9))
        // min_lr is the same floor given in absolute terms: min_lr / lr.
        let absolute = getScheduler(.cosineWithMinLR, learningRate: peak, numWarmupSteps: 10, numTrainingSteps: 100, minLR: 1e-4)
        #expect((0...100).allSatisfy { nnClose(absolute.lr(at: $0), Double(s.lr(at: $0)), 1e-9) })
        #expect(s.description == "cosine_with_min_lr (peak 0.001, warmup 10, total 100, numCycles 0.5, minLRRate 0.1)")
    }

    /// Expected values computed in Python from transformers' `_get_wsd_scheduler_lambda`.
    @Test func warmupStableDecay() {
        // 10 warmup, 70 stable (100 - 10 - 20), 20 decay steps, cosine decay, floor 0.
        let s = getScheduler(.warmupStableDecay, learningRate: peak, numWarmupSteps: 10, numTrainingSteps: 100, numDecaySteps: 20)
        #expect(s.numStableSteps == 70)
        #expect(nnClose(values(s, [0, 5, 10, 79, 80, 85, 90, 99, 100, 150]),
                        [0, 5e-4, 1e-3, 1e-3, 1e-3, 8.535533905932737e-4, 5e-4, 6.15582970243117e-6, 0, 0], 1e-9))
        // Cosine warmup, 1 - sqrt decay, floor 0.1: the warmup starts at the floor, not at 0.
        let other = getScheduler(.warmupStableDecay, learningRate: peak, numWarmupSteps: 10, numTrainingSteps: 100,
                                 numDecaySteps: 20, warmupType: .cosine, decayType: .oneMinusSqrt, minLRRatio: 0.1)
        #expect(nnClose(values(other, [0, 5, 10, 80, 85, 90, 99, 100]),
                        [1e-4, 5.5e-4, 1e-3, 1e-3, 5.5e-4, 3.6360389693210714e-4, 1.227885089671933e-4, 1e-4], 1e-9))
        let linear = getScheduler(.warmupStableDecay, learningRate: peak, numWarmupSteps: 10, numTrainingSteps: 100,
                                  numDecaySteps: 20, decayType: .linear)
        #expect(nnClose(values(linear, [80, 90, 99, 100]), [1e-3, 5e-4, 5e-5, 0], 1e-9))
        // num_stable_steps given: it wins over num_training_steps.
        let given = getScheduler(.warmupStableDecay, learningRate: peak, numWarmupSteps: 10, numTrainingSteps: 100,
                                 numDecaySteps: 20, numStableSteps: 30)
        #expect(nnClose(given.lr(at: 39), 1e-3, 1e-9) && nnClose(given.lr(at: 50), 5e-4, 1e-9) && given.lr(at: 60) == 0)
    }

    @Test func stepLR() {
        let s = StepLR(learningRate: 0.1, stepSize: 30, gamma: 0.1)
        #expect(nnClose(values(s, [0, 29, 30, 59, 60]), [0.1, 0.1, 0.01, 0.01, 0.001]))
    }

    @Test func oneCycleLR() {
        // maxLR 0.1, 100 steps: initial 0.1/25 = 0.004, min 0.004/1e4 = 4e-7; warmup phase ends at step 0.3*100 - 1 = 29.
        let s = OneCycleLR(maxLR: 0.1, totalSteps: 100)
        #expect(nnClose(s.lr(at: 0), 0.004) && nnClose(s.lr(at: 29), 0.1) && nnClose(s.lr(at: 99), 4e-7))
        // Step 15: cos annealing 0.004 -> 0.1 at pct 15/29: 0.1 + (0.004 - 0.1)/2 * (cos(pi * 15/29) + 1) = 0.0545987.
        #expect(nnClose(s.lr(at: 15), 0.0545987))
        // Step 64: halfway down (pct 35/70): (0.1 + 4e-7) / 2.
        #expect(nnClose(s.lr(at: 64), 0.0500002))
        let linear = OneCycleLR(maxLR: 0.1, totalSteps: 100, annealStrategy: .linear)
        #expect(nnClose(linear.lr(at: 64), 0.0500002) && nnClose(linear.lr(at: 15), 0.004 + 0.096 * 15 / 29))
    }

    @Test func cyclicLR() {
        // base 0.001, max 0.006, 4 steps up and 4 down: a triangle with period 8.
        let s = CyclicLR(baseLR: 0.001, maxLR: 0.006, stepSizeUp: 4)
        #expect(nnClose(values(s, [0, 2, 4, 6, 8, 12]), [0.001, 0.0035, 0.006, 0.0035, 0.001, 0.006]))
        // triangular2 halves the height each cycle: the second peak is 0.001 + 0.005 / 2.
        let halving = CyclicLR(baseLR: 0.001, maxLR: 0.006, stepSizeUp: 4, mode: .triangular2)
        #expect(nnClose(halving.lr(at: 12), 0.0035) && nnClose(halving.lr(at: 4), 0.006))
    }
}
