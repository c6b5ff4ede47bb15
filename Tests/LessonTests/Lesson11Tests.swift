import Foundation
import LoRALesson
import MaskedLanguageModeling
import MiniTorch
import Testing
import Workbook
@testable import Monitoring

/// Lesson 11's claims, from the same function the executable calls, at its default settings (a
/// 300-step fine-tune of lesson 06's encoder under simulated fp16, about 6 CPU-seconds), and the
/// same run in fp32 that the chapter compares it with. Lesson 06's model is the one its tests'
/// default run saves (SharedLesson06Run). The three runs cost about 6 CPU-seconds each.
@Suite("Lesson 11: monitoring")
struct Lesson11Tests {
    nonisolated(unsafe) static let base = Result { try pretrainedBase(seed: 42, folder: SharedLesson06Run.pretrainedFolder()) }
    nonisolated(unsafe) static let result = run(Monitoring.Settings())
    nonisolated(unsafe) static let fp32 = run({ var s = Monitoring.Settings(); s.precision = .fp32; return s }())
    nonisolated(unsafe) static let slow = run({ var s = Monitoring.Settings(); s.learningRate = 1e-4; return s }())

    static func run(_ settings: Monitoring.Settings) -> Result<Monitoring.LessonResult, any Error> {
        Result {
            BLAS.setThreads(1)   // as the executable: the same order of sums, the same numbers
            return try Monitoring.run(settings, base: base.get())
        }
    }

    @Test func everyStepLogsItsColumns() throws {
        let r = try Self.result.get()
        #expect(r.settings.stepsPerEpoch == 25 && r.timings.count == 300 && r.log.rows.count == 300)
        #expect(r.parameterCount == 119_045)
        let layers = ["embeddings", "layer.0", "layer.1", "classifier"]
        #expect(r.log.rows.allSatisfy { row in
            row.lr != nil && row.gradNorm != nil && row["loss_scale"] != nil && row["skipped"] != nil
                && row["resident_mb"] != nil && row["peak_mb"] != nil && layers.allSatisfy { row["update_ratio/\($0)"] != nil }
        })
        // Evaluations every 25 steps: 12 of them, each with loss, accuracy, perplexity, macro-F1 and the probe.
        let evals = r.log.rows.filter { $0.evalLoss != nil }
        #expect(evals.map(\.step) == Array(stride(from: 25, through: 300, by: 25)))
        #expect(evals.allSatisfy { $0.loss != nil && $0.accuracy != nil && $0["macro_f1"] != nil && $0["mlm_perplexity"] != nil && $0["fill_mask_p"] != nil })
        #expect(evals.allSatisfy { abs($0["perplexity"]! - exp($0.evalLoss!)) < 1e-9 })
        // The seconds column stays empty: wall-clock time lives in timing.csv.
        #expect(r.log.rows.allSatisfy { $0.seconds == nil })
        let groups = layerGroups(try Self.base.get().classifier(seed: 42, numLabels: 5))
        #expect(groups.map(\.name) == layers && groups.reduce(0) { $0 + $1.parameters.reduce(0) { $0 + $1.count } } == 119_045)
    }

    @Test func learningRateWarmsUpThenDecays() throws {
        let lrs = try Self.result.get().log.series("lr").map(\.value)
        #expect(lrs[0] == 0)                                         // step 1 runs at lr(0) = 0 of the linear warmup
        #expect(abs(lrs[30] - 3e-4) < 1e-10)                         // the peak after 30 warmup steps (10% of 300)
        #expect(abs(lrs.last! - 3e-4 / 270) < 1e-10)                 // "1.11e-06 at the last step"
        #expect(runFacts(try Self.result.get()).contains("peak 3.00e-04 after 30 warmup steps, 1.11e-06 at the last step"))
    }

    @Test func validationNumbers() throws {
        let r = try Self.result.get()
        // Before the first step: about ln 5 = 1.609 with a random head over five continents.
        #expect(abs(r.initial.loss - 1.617) < 5e-4 && abs(r.initial.accuracy - 0.0875) < 1e-9)
        func at(_ step: Int) -> Evaluation { r.evaluations.first { $0.step == step }!.eval }
        #expect(abs(at(25).accuracy - 0.4675) < 1e-9 && abs(at(100).accuracy - 0.6675) < 1e-9 && abs(at(200).accuracy - 0.83) < 1e-9)
        let final = r.final
        #expect(abs(final.loss - 0.561) < 5e-4 && abs(final.perplexity - 1.752) < 5e-4)
        #expect(abs(final.accuracy - 0.88) < 1e-9 && abs(final.macroF1 - 0.703) < 5e-4)
        #expect(abs(r.evaluations.last!.trainLoss - 0.397) < 5e-4)
        #expect(r.best.step == 300)
    }

    @Test func theEncoderForgetsWhatItsMaskedWordsWere() throws {
        let r = try Self.result.get()
        #expect(abs(r.start.mlmPerplexity - 2.967) < 5e-4 && abs(r.final.loss) > 0)
        #expect(abs(r.evaluations.last!.probe.mlmPerplexity - 6.041) < 5e-4)
        #expect(r.start.guesses[0].token == "paris" && abs(r.start.expectedProbability - 0.648) < 5e-4)
        let last = r.evaluations.last!.probe
        #expect(last.guesses[0].token == "in" && abs(last.guesses[0].probability - 0.79) < 5e-3)
        #expect(abs(last.expectedProbability - 0.007) < 5e-4)
        // The pseudo-perplexity rises at every evaluation.
        let ppl = r.evaluations.map(\.probe.mlmPerplexity)
        #expect(zip(ppl, ppl.dropFirst()).filter { $1 < $0 }.count == 0)
    }

    @Test func gradientNormAndClipping() throws {
        let r = try Self.result.get()
        let norms = r.log.series("grad_norm").map(\.value)
        let finite = norms.filter(\.isFinite)
        #expect(abs(finite[0] - 0.619) < 5e-4 && abs(finite.max()! - 3.448) < 5e-4 && abs(finite.last! - 1.607) < 5e-4)
        #expect(finite.filter { $0 > 1 }.count == 213)
        #expect(runFacts(r).contains("213 steps clipped to 1.0"))
    }

    @Test func lossScaleAndSkippedSteps() throws {
        let r = try Self.result.get()
        #expect(r.skippedSteps == [76, 97, 127, 135, 187, 222, 241, 289])
        let scales = r.log.series("loss_scale").map(\.value)
        #expect(scales.first == 65536 && scales.max() == 524_288 && scales.last == 65536)
        // A skipped step: its gradients overflowed, so its norm is inf and nothing moved.
        for step in r.skippedSteps {
            let row = r.log.rows[step - 1]
            #expect(row["skipped"] == 1 && row.gradNorm == .infinity && row.extra.filter { $0.0.hasPrefix("update_ratio/") }.allSatisfy { $0.1 == 0 })
            #expect(step == 300 || scales[step] == scales[step - 1] / 2)   // the scale halves after it
        }
        #expect(r.log.rows.filter { $0["skipped"] == 1 }.count == 8)
    }

    /// The same run in fp32: no scale, no skipped step, and nearly the same end (0.540 against
    /// fp16's 0.561, accuracy 0.885 against 0.880).
    @Test func fp32EndsCloseBy() throws {
        let (r, f) = (try Self.result.get(), try Self.fp32.get())
        #expect(f.skippedSteps.isEmpty && f.log.series("loss_scale").isEmpty)
        #expect(abs(f.final.accuracy - 0.885) < 1e-9 && abs(f.final.macroF1 - 0.709) < 5e-4)
        #expect(abs(f.final.loss - 0.540) < 5e-4 && abs(r.final.loss - f.final.loss) < 0.025)
    }

    @Test func updateToWeightRatios() throws {
        let medians = medianUpdateRatios(try Self.result.get())
        #expect(medians.map(\.layer) == ["embeddings", "layer.0", "layer.1", "classifier"])
        let expected = [4.25e-4, 7.22e-4, 7.31e-4, 2.86e-3]
        for (m, e) in zip(medians, expected) {
            #expect(abs(m.ratio / e - 1) < 0.002, "\(m.layer): \(m.ratio), chapter says \(e)")
        }
    }

    /// At lesson 07's other rate, 1e-4, the encoder's ratios sit well below 1e-3 (under half of it)
    /// and the run ends with its losses still falling.
    @Test func aLowerRateShowsInTheRatios() throws {
        let r = try Self.slow.get()
        let medians = medianUpdateRatios(r)
        #expect(medians.filter { $0.layer.hasPrefix("layer.") }.allSatisfy { $0.ratio < 5e-4 }, "\(medians)")
        let (previous, last) = (r.evaluations[r.evaluations.count - 2], r.evaluations.last!)
        #expect(last.eval.loss < previous.eval.loss && last.trainLoss < previous.trainLoss && r.best.step == 300)
    }

    /// Resident: 4 bytes a weight before the first step; from the second on also its gradient
    /// and AdamW's two moments, 16 bytes a parameter.
    @Test func memory() throws {
        let r = try Self.result.get()
        let resident = r.log.series("resident_mb").map { Int(($0.value * 1_048_576).rounded()) }
        #expect(resident[0] == 4 * 119_045 && resident.dropFirst().allSatisfy { $0 == 16 * 119_045 })
        let peaks = r.log.series("peak_mb").map { Int(($0.value * 1_048_576).rounded()) }
        #expect(peaks.max() == r.peakBytes && zip(peaks, resident).allSatisfy { $0 > $1 })
        #expect(fmtBytes(r.peakBytes) == "7.7 MiB")
        #expect(runFacts(r).contains("memory: 465.0 KiB resident before step 1, 1.8 MiB from step 2 on; peak 7.7 MiB during a step"))
    }

    @Test func diagnosisIsWellFit() throws {
        let d = try Self.result.get().diagnosis
        #expect(d.kind == .wellFit)
        #expect(d.description.hasPrefix("well-fit: training loss fell to 25% of its start"))
    }

    @Test func timingIsPresentAndPositive() throws {
        let r = try Self.result.get()
        #expect(r.timings.allSatisfy { $0.seconds > 0 && $0.samplesPerSecond > 0 && $0.tokensPerSecond > $0.samplesPerSecond })
        let csv = timingCSV(r)
        #expect(csv.header == ["step", "step_seconds", "samples_per_second", "tokens_per_second"] && csv.rows.count == 300)
        let t = stepTiming(step: 1, samples: 32, tokens: 320, start: 1_000, end: 16_001_000)
        #expect(abs(t.seconds - 0.016) < 1e-12 && abs(t.samplesPerSecond - 2000) < 1e-6 && abs(t.tokensPerSecond - 20_000) < 1e-6)
    }
}
