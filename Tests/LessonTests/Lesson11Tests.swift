import Foundation
import MiniTorch
import struct Overfitting.CurveDiagnosis
import Testing
import Workbook
@testable import Monitoring

/// Lesson 11's claims, from the same function the executable calls, at its default settings
/// (600 steps, under a second in release).
@Suite("Lesson 11: monitoring")
struct Lesson11Tests {
    static let result = Monitoring.run(Settings())

    @Test func everyStepLogsLrGradNormAndMemory() {
        let r = Self.result
        #expect(r.stepsPerEpoch == 50 && r.timings.count == 600 && r.log.rows.count == 600)
        #expect(r.log.rows.allSatisfy { $0.lr != nil && $0.gradNorm != nil && $0["peak_mb"] != nil })
        // Evaluations every 25 steps: 24 of them, each with loss, accuracy, perplexity and macro-F1.
        let evals = r.log.rows.filter { $0.evalLoss != nil }
        #expect(evals.map(\.step) == Array(stride(from: 25, through: 600, by: 25)))
        #expect(evals.allSatisfy { $0.loss != nil && $0.accuracy != nil && $0["perplexity"] != nil && $0["macro_f1"] != nil })
        // Perplexity is exp(validation loss) of the same row.
        #expect(evals.allSatisfy { abs($0["perplexity"]! - exp($0.evalLoss!)) < 1e-9 })
        // The seconds column stays empty: wall-clock time lives in timing.csv.
        #expect(r.log.rows.allSatisfy { $0.seconds == nil })
    }

    @Test func learningRateWarmsUpThenDecays() {
        let lrs = Self.result.log.series("lr").map(\.value)
        #expect(lrs[0] == 0)                                   // step 1 runs at lr(0) = 0 of the linear warmup
        #expect(abs(lrs[30] - 3e-3) < 1e-9)                    // the peak after 30 warmup steps
        #expect(lrs.last! > 0 && lrs.last! < 1e-5)
    }

    @Test func validationNumbers() {
        let r = Self.result
        let first = r.evaluations[0].eval, final = r.final
        #expect(abs(first.accuracy - 0.3125) < 1e-9 && abs(first.loss - 1.3747) < 1e-4)
        #expect(abs(first.perplexity - 3.954) < 1e-3)
        #expect(abs(final.loss - 0.6128) < 1e-4)
        #expect(abs(final.accuracy - 0.8475) < 1e-9)
        #expect(abs(final.macroF1 - 0.8482) < 1e-4)
        #expect(abs(final.perplexity - 1.845) < 1e-3)
        #expect(r.best.step == 450 && abs(r.best.eval.loss - 0.6114) < 1e-4)
        // "within 0.3% of its minimum": 0.6128 / 0.6114 is 0.23% above.
        #expect(final.loss / r.best.eval.loss - 1 > 0.002 && final.loss / r.best.eval.loss - 1 < 0.003)
        #expect(r.evaluations.first { $0.step == 100 }!.eval.accuracy == 0.8525)
    }

    @Test func diagnosisIsWellFit() {
        #expect(Self.result.diagnosis.kind == .wellFit)
        #expect(Self.result.diagnosis.description.hasPrefix("well-fit: training loss fell to 38% of its start"))
    }

    @Test func gradNormAndMemory() {
        let r = Self.result
        let norms = r.log.series("grad_norm").map(\.value)
        #expect(norms.allSatisfy { $0.isFinite && $0 > 0 })
        #expect(r.peakBytes == 140_852)
        // The first step also allocates AdamW's state; every later step peaks at 100.0 KiB.
        let peaks = r.log.series("peak_mb").map { Int(($0.value * 1_048_576).rounded()) }
        #expect(peaks[0] == 140_852 && peaks.dropFirst().allSatisfy { $0 == 102_424 })
        // Gradient norms: 0.177 at step 1, at most 0.797, so clipping at 1.0 never acts.
        #expect(abs(norms[0] - 0.177) < 5e-4 && abs(norms.max()! - 0.797) < 5e-4)
        #expect(runFacts(r).contains("0 steps clipped to 1.0"))
        let facts = runFacts(r)
        #expect(facts.contains("peak memory of a step: \(fmtBytes(140_852))"))
    }

    @Test func timingIsPresentAndPositive() {
        let r = Self.result
        #expect(r.timings.allSatisfy { $0.seconds > 0 && $0.samplesPerSecond > 0 })
        let csv = timingCSV(r)
        #expect(csv.header == ["step", "step_seconds", "samples_per_second"] && csv.rows.count == 600)
    }

    @Test func sameSeedSameMetrics() {
        #expect(Monitoring.run(Settings()).log.csv() == Self.result.log.csv())
    }
}
