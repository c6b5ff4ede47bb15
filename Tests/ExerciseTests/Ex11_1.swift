import Foundation
import Testing
import MiniTorch
@testable import Monitoring

/// ex11_1: a metrics-log row (Lessons/11-monitoring/Monitoring.swift, `metricsRow`), the row
/// lesson 11 writes every optimizer step, as Hugging Face's `log_history` flattened: step, epoch
/// as a fraction (step / steps per epoch), lr and grad_norm every step, then the extra columns
/// loss_scale (only when the step has one), skipped (1 or 0), update_ratio/<layer> for each layer
/// in order, resident_mb and peak_mb (bytes / 2^20); at a logging step also loss (the logged
/// training loss), eval_loss, accuracy and, as extra columns in this order, perplexity =
/// exp(eval_loss), macro_f1, mlm_perplexity and fill_mask_p. A column not measured stays empty.
@Suite("ex11_1: a metrics-log row")
struct Ex11_1 {
    static func record(step: Int, lossScale: Float?, skipped: Bool = false) -> StepRecord {
        StepRecord(step: step, lr: 0.0025, gradNorm: 1.75, lossScale: lossScale, skipped: skipped,
                   updateRatios: [("embeddings", 2e-4), ("layer.0", 1e-3), ("classifier", 5e-2)],
                   residentBytes: 2_097_152, peakBytes: 3_145_728)
    }

    static let evaluation = LoggedEvaluation(step: 25, trainLoss: 1.2, eval: Evaluation(loss: log(4), accuracy: 0.3125, macroF1: 0.25),
                                             probe: EncoderProbe(mlmPerplexity: 7.5, guesses: [], expectedProbability: 0.625))

    @Test func stepColumns() {
        let row = metricsRow(Self.record(step: 30, lossScale: 32768), stepsPerEpoch: 50, evaluation: nil)
        #expect(row.step == 30 && row.epoch == 0.6, "step \(row.step), epoch \(row.epoch): 30 / 50 = 0.6")
        #expect(row.lr == Double(Float(0.0025)) && row.gradNorm == 1.75, "lr \(String(describing: row.lr)), grad_norm \(String(describing: row.gradNorm))")
        #expect(row.extra.map(\.0) == ["loss_scale", "skipped", "update_ratio/embeddings", "update_ratio/layer.0", "update_ratio/classifier",
                                       "resident_mb", "peak_mb"], "extra columns \(row.extra.map(\.0))")
        #expect(row["loss_scale"] == 32768 && row["skipped"] == 0 && row["update_ratio/layer.0"] == 1e-3)
        #expect(row["resident_mb"] == 2 && row["peak_mb"] == 3, "resident_mb \(String(describing: row["resident_mb"])), peak_mb \(String(describing: row["peak_mb"])): 2 and 3 MiB")
        #expect(row.loss == nil && row.evalLoss == nil && row.accuracy == nil && row["perplexity"] == nil,
                "a step without evaluation has no loss or evaluation columns")
    }

    @Test func fp32HasNoLossScaleAndASkippedStepSaysSo() {
        let row = metricsRow(Self.record(step: 3, lossScale: nil), stepsPerEpoch: 4, evaluation: nil)
        #expect(row["loss_scale"] == nil && row.extra.first?.0 == "skipped", "extra columns \(row.extra.map(\.0))")
        let skipped = metricsRow(Self.record(step: 3, lossScale: 65536, skipped: true), stepsPerEpoch: 4, evaluation: nil)
        #expect(skipped["skipped"] == 1, "skipped \(String(describing: skipped["skipped"]))")
    }

    @Test func evaluationColumns() {
        let row = metricsRow(Self.record(step: 25, lossScale: 65536), stepsPerEpoch: 50, evaluation: Self.evaluation)
        #expect(row.loss == 1.2 && row.evalLoss == log(4) && row.accuracy == 0.3125, "loss \(String(describing: row.loss)), eval_loss \(String(describing: row.evalLoss)), accuracy \(String(describing: row.accuracy))")
        #expect(abs((row["perplexity"] ?? 0) - 4) < 1e-12, "perplexity \(String(describing: row["perplexity"])): e^ln 4 = 4")
        #expect(row["macro_f1"] == 0.25 && row["mlm_perplexity"] == 7.5 && row["fill_mask_p"] == 0.625 && row.epoch == 0.5)
        #expect(Array(row.extra.map(\.0).suffix(4)) == ["perplexity", "macro_f1", "mlm_perplexity", "fill_mask_p"], "extra columns \(row.extra.map(\.0))")
    }

    /// Two rows as the CSV shows them: the evaluation cells are empty on the plain step.
    @Test func asCSV() {
        var plain = Self.record(step: 1, lossScale: nil)
        plain.updateRatios = [("layer.0", 0.5)]
        var logged = plain
        logged.step = 2
        let log = MetricsLog(rows: [
            metricsRow(plain, stepsPerEpoch: 4, evaluation: nil),
            metricsRow(logged, stepsPerEpoch: 4, evaluation: Self.evaluation),
        ])
        let lines = log.csv().split(separator: "\n").map(String.init)
        #expect(lines.first == "step,epoch,lr,loss,eval_loss,accuracy,grad_norm,seconds,skipped,update_ratio/layer.0,resident_mb,peak_mb,perplexity,macro_f1,mlm_perplexity,fill_mask_p",
                "header \(lines.first ?? "")")
        #expect(lines.count == 3 && lines[1] == "1,0.25,0.0025,,,,1.75,,0.0,0.5,2.0,3.0,,,,", "first row \(lines.count > 1 ? lines[1] : "")")
        #expect(lines.count == 3 && lines[2] == "2,0.5,0.0025,1.2,1.3862943611198906,0.3125,1.75,,0.0,0.5,2.0,3.0,4.0,0.25,7.5,0.625",
                "second row \(lines.count > 2 ? lines[2] : "")")
    }
}
