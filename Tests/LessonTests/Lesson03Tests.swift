import Foundation
import MiniTorch
import Testing
import Workbook
@testable import LRSchedules

/// Every number chapter 03 states, from the same functions the lesson runs with its default
/// flags (--learning-rate 1e-3 --warmup-steps 10 --max-steps 100 --seed 42; well under a second).
@Suite("Lesson 03: learning-rate schedules")
struct Lesson03Tests {
    static let peak: Float = 1e-3
    static var problem: Problem { Problem(seed: 42) }
    static let sweep = lrSweep(problem, steps: 100)

    // MARK: The schedules, against Hugging Face's formulas written out again here

    /// transformers/optimization.py, the lr_lambda of each schedule, as a fraction of the peak.
    static func hfMultiplier(_ name: String, step: Int, warmup: Int = 10, total: Int = 100) -> Double {
        let s = Double(step), w = Double(warmup), t = Double(total)
        if name == "constant" { return 1 }
        if step < warmup { return s / max(1, w) }
        let progress = (s - w) / max(1, t - w)
        switch name {
        case "linear": return max(0, (t - s) / max(1, t - w))
        case "cosine": return max(0, 0.5 * (1 + cos(Double.pi * 2 * 0.5 * progress)))
        case "cosine_with_restarts":
            return progress >= 1 ? 0 : max(0, 0.5 * (1 + cos(Double.pi * (1 * progress).truncatingRemainder(dividingBy: 1))))
        case "polynomial":
            let lrInit = 1e-3, lrEnd = 1e-7
            if s > t { return lrEnd / lrInit }
            return ((lrInit - lrEnd) * pow(1 - (s - w) / (t - w), 1) + lrEnd) / lrInit
        case "constant_with_warmup": return 1
        case "inverse_sqrt": return 1 / ((s + (w - w)) / w).squareRoot()   // timescale = warmup
        default: Issue.record("unknown schedule \(name)"); return .nan
        }
    }

    @Test func schedulesCSVHasEveryHFScheduleAtEveryStep() {
        let csv = CSVTable(parsing: schedulesTable(hfScheduleCurves(learningRate: Self.peak, warmupSteps: 10, maxSteps: 100)).render())
        #expect(csv.header == ["step", "schedule", "lr"])
        let names = ["linear", "cosine", "cosine_with_restarts", "polynomial", "constant", "constant_with_warmup", "inverse_sqrt"]
        #expect(csv.rows.count == names.count * 101)
        for name in names {
            let rows = csv.rows.filter { $0[1] == name }
            #expect(rows.map { Int($0[0])! } == Array(0...100), "\(name): steps 0...100")
            for row in rows {
                let step = Int(row[0])!, lr = Double(row[2])!
                let expected = 1e-3 * Self.hfMultiplier(name, step: step)
                #expect(abs(lr - expected) <= 1e-6 * 1e-3, "\(name) at step \(step): \(lr) vs HF \(expected)")
            }
        }
    }

    @Test func theValuesTheChapterNames() {
        let curves = Dictionary(uniqueKeysWithValues: hfScheduleCurves(learningRate: Self.peak, warmupSteps: 10, maxSteps: 100)
            .map { ($0.name, $0.lrs) })
        func close(_ a: Float, _ b: Double) -> Bool { abs(Double(a) - b) <= 1e-9 }
        for (name, lrs) in curves {
            #expect(close(lrs[10], 1e-3), "\(name): the end of warmup is the peak")
            #expect(close(lrs[0], name == "constant" ? 1e-3 : 0), "\(name): HF warmup starts at 0")
        }
        #expect(close(curves["linear"]![100], 0))                       // linear ends at 0
        #expect(close(curves["linear"]![55], 5e-4))                     // and is halfway down halfway
        #expect(close(curves["cosine"]![55], 5e-4))                     // cosine midpoint = half the peak
        #expect(close(curves["cosine"]![100], 0))
        #expect(curves["cosine_with_restarts"]! == curves["cosine"]!)   // num_cycles 1: the same curve
        #expect(close(curves["polynomial"]![100], 1e-7))                // down to lr_end
        #expect(abs(Double(curves["inverse_sqrt"]![100]) - 1e-3 * (0.1).squareRoot()) < 1e-9)   // 3.16e-4
        #expect(abs(Double(curves["inverse_sqrt"]![55]) - 4.26e-4) < 1e-6)
        #expect(close(curves["constant_with_warmup"]![100], 1e-3))
    }

    @Test func scheduleOptions() {
        let curves = hfOptionCurves(learningRate: Self.peak, warmupSteps: 10, maxSteps: 100)
        let restarts = curves[0].lrs, squared = curves[1].lrs
        // Three cycles of 30 steps after warmup: back at the peak at steps 40 and 70.
        #expect(abs(restarts[40] - 1e-3) < 1e-9 && abs(restarts[70] - 1e-3) < 1e-9)
        #expect(restarts[39] < 1e-5)
        // Power 2, halfway through the decay: (1/2)^2 of the way from lr_end to the peak.
        #expect(abs(Double(squared[55]) - ((1e-3 - 1e-7) * 0.25 + 1e-7)) < 1e-9)
    }

    @Test func pytorchSchedules() {
        let curves = Dictionary(uniqueKeysWithValues: torchScheduleCurves(learningRate: Self.peak, maxSteps: 100).map { ($0.name, $0.lrs) })
        let step = curves["StepLR"]!, one = curves["OneCycleLR"]!, cyclic = curves["CyclicLR"]!
        #expect(step.count == 100 && one.count == 100 && cyclic.count == 100)
        #expect(step[24] == 1e-3 && abs(step[25] - 5e-4) < 1e-9 && abs(step[99] - 1.25e-4) < 1e-9)
        #expect(abs(one[0] - 1e-3 / 25) < 1e-9)                        // starts at max / div_factor
        #expect(abs(one[29] - 1e-3) < 1e-9 && one.max()! == one[29])   // peak at pct_start * 100 - 1
        #expect(abs(Double(one[99]) - 1e-3 / 25 / 1e4) < 1e-10)        // ends at initial / final_div_factor
        #expect(abs(cyclic[0] - 1e-4) < 1e-9 && abs(cyclic[20] - 1e-3) < 1e-9 && abs(cyclic[40] - 1e-4) < 1e-9)
    }

    // MARK: Too low, too high, tuned

    @Test func tooLowStalls() {
        let run = Self.sweep.tooLow
        #expect(run.name == "lr 1e-5")
        #expect(verdict(of: run) == .stalled)
        #expect(run.tailLoss() > stallFraction * run.headLoss())
        #expect(run.stepReaching(targetLoss) == nil)
        #expect(abs(run.headLoss() - 1.340) < 0.0005 && abs(run.tailLoss() - 1.308) < 0.0005)
    }

    @Test func tooHighDivergesAndIsReported() {
        let run = Self.sweep.tooHigh
        #expect(run.name == "lr 1")
        guard case .diverged(let step, let loss) = run.outcome else { Issue.record("lr 1 did not diverge"); return }
        #expect(step == 1)
        #expect(!loss.isFinite || loss > divergenceFactor * run.startLoss)
        #expect(run.losses.count == 2)   // stopped at the step it diverged, no crash
        #expect(abs(loss - 197.41) < 0.01)
    }

    @Test func theTunedRateReachesTheTarget() {
        #expect(Self.sweep.tunedRate == 1e-2)
        #expect(verdict(of: Self.sweep.tuned) == .reachedTarget(step: 11))
        let verdicts = Self.sweep.runs.map { verdict(of: $0) }
        #expect(verdicts == [.stalled, .stillLearning, .reachedTarget(step: 39), .reachedTarget(step: 11),
                             .reachedTarget(step: 20), .diverged(step: 1)])
        #expect(abs(Self.sweep.tuned.tailLoss() - 0.181) < 0.0005)
        // Every finished run starts from the same model on the same batch.
        #expect(Set(Self.sweep.runs.map(\.startLoss)).count == 1)
        #expect(abs(Self.sweep.tooLow.startLoss - 1.353) < 0.0005)
    }

    @Test func yourRunAtTheDefaults() {
        let run = train(Self.problem, name: "your run",
                        schedule: makeSchedule(.linear, learningRate: 1e-3, warmupSteps: 10, maxSteps: 100), steps: 100)
        #expect(run.lrs[0] == 0)   // HF warmup: the first update uses lr 0
        #expect(verdict(of: run) == .reachedTarget(step: 53))
        #expect(abs(run.tailLoss() - 0.333) < 0.0005)
        // Between the sweep's 1e-3 and 1e-4 rows.
        #expect(run.tailLoss() > Self.sweep.runs[2].tailLoss() && run.tailLoss() < Self.sweep.runs[1].tailLoss())
    }

    // MARK: Warmup

    @Test func warmupRescuesAHighPeakRate() {
        let w = compareWarmup(Self.problem, steps: 100)
        #expect(w.peak == 0.25 && w.warmupSteps == 20)
        #expect(w.withoutWarmup.outcome == .diverged(step: 1, loss: w.withoutWarmup.losses[1]))
        #expect(verdict(of: w.withWarmup) == .reachedTarget(step: 33))
        #expect(abs(w.withWarmup.tailLoss() - 0.163) < 0.0005)
        // Ten warmup steps are not enough at this peak for seed 42: it diverges when the peak arrives.
        let short = compareWarmup(Self.problem, warmupSteps: 10, steps: 100).withWarmup
        #expect(short.outcome == .diverged(step: 10, loss: short.losses[10]))
    }

    // MARK: The LR range test

    @Test func rangeTestSuggestsARateNearTheTunedOne() {
        let r = lrRangeTest(Self.problem)
        #expect(abs(r.lrs[0] - 1e-6) < 1e-12)
        #expect(r.stoppedAt == 98)                          // lr 0.87: the smoothed loss exploded
        #expect(r.suggestedLR == r.minimumLossLR / 10)
        #expect(abs(r.minimumLossLR - 5.34e-2) < 1e-4)
        #expect(abs(r.suggestedLR - 5.34e-3) < 1e-5)
        #expect(abs(r.steepestLR - 8.70e-3) < 1e-5)
        let ratio = max(r.suggestedLR / Self.sweep.tunedRate, Self.sweep.tunedRate / r.suggestedLR)
        #expect(ratio < 10)                                  // the stated factor
        #expect(abs(ratio - 1.9) < 0.05)                     // and the one the chapter shows
    }

    @Test func sameSeedSameRun() {
        let a = train(Problem(seed: 7), name: "a", schedule: ConstantLR(1e-2), steps: 30)
        let b = train(Problem(seed: 7), name: "b", schedule: ConstantLR(1e-2), steps: 30)
        #expect(a.losses == b.losses)
        let c = train(Problem(seed: 8), name: "c", schedule: ConstantLR(1e-2), steps: 30)
        #expect(a.losses != c.losses)
    }
}
