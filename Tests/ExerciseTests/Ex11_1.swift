import Foundation
import Testing
import MiniTorch
@testable import Monitoring

/// ex11_1: a metrics-log row (Lessons/11-monitoring/Monitoring.swift, `metricsRow`), the row
/// lesson 11 writes every optimizer step, as Hugging Face's `log_history`: step, epoch as a
/// fraction (step / steps per epoch), lr, grad_norm and peak_mb (bytes / 2^20) every step; at a
/// logging step also loss (the training loss since the last log), eval_loss, accuracy and, as
/// extra columns in this order, perplexity = exp(eval_loss) and macro_f1. A column that was not
/// measured stays empty.
@Suite("ex11_1: a metrics-log row")
struct Ex11_1 {
    @Test func stepColumns() {
        let row = metricsRow(step: 30, stepsPerEpoch: 50, lr: 0.0025, gradNorm: 1.75, peakBytes: 3_145_728, evaluation: nil)
        #expect(row.step == 30 && row.epoch == 0.6, "step \(row.step), epoch \(row.epoch): 30 / 50 = 0.6")
        #expect(row.lr == Double(Float(0.0025)) && row.gradNorm == 1.75, "lr \(String(describing: row.lr)), grad_norm \(String(describing: row.gradNorm))")
        #expect(row["peak_mb"] == 3, "peak_mb \(String(describing: row["peak_mb"])): 3,145,728 bytes are 3 MiB")
        #expect(row.loss == nil && row.evalLoss == nil && row.accuracy == nil && row["perplexity"] == nil,
                "a step without evaluation has no loss or evaluation columns")
    }

    @Test func evaluationColumns() {
        let eval = Evaluation(loss: log(4), accuracy: 0.3125, macroF1: 0.25)
        let row = metricsRow(step: 25, stepsPerEpoch: 50, lr: 1e-3, gradNorm: 0.5, peakBytes: 524_288, evaluation: (trainLoss: 1.2, eval: eval))
        #expect(row.loss == 1.2 && row.evalLoss == log(4) && row.accuracy == 0.3125, "loss \(String(describing: row.loss)), eval_loss \(String(describing: row.evalLoss)), accuracy \(String(describing: row.accuracy))")
        #expect(abs((row["perplexity"] ?? 0) - 4) < 1e-12, "perplexity \(String(describing: row["perplexity"])): e^ln 4 = 4")
        #expect(row["macro_f1"] == 0.25 && row["peak_mb"] == 0.5 && row.epoch == 0.5)
        #expect(row.extra.map { $0.0 } == ["peak_mb", "perplexity", "macro_f1"], "extra columns \(row.extra.map { $0.0 })")
    }

    /// Two rows as the CSV shows them: the evaluation cells are empty on the plain step.
    @Test func asCSV() {
        let eval = Evaluation(loss: 0.5, accuracy: 0.75, macroF1: 0.7)
        let log = MetricsLog(rows: [
            metricsRow(step: 1, stepsPerEpoch: 4, lr: 0.5, gradNorm: 2, peakBytes: 1_048_576, evaluation: nil),
            metricsRow(step: 2, stepsPerEpoch: 4, lr: 0.25, gradNorm: 1, peakBytes: 2_097_152, evaluation: (trainLoss: 0.625, eval: eval)),
        ])
        let lines = log.csv().split(separator: "\n").map(String.init)
        #expect(lines.first == "step,epoch,lr,loss,eval_loss,accuracy,grad_norm,seconds,peak_mb,perplexity,macro_f1", "header \(lines.first ?? "")")
        #expect(lines.count == 3 && lines[1] == "1,0.25,0.5,,,,2.0,,1.0,,", "first row \(lines.count > 1 ? lines[1] : "")")
        #expect(lines.count == 3 && lines[2].hasPrefix("2,0.5,0.25,0.625,0.5,0.75,1.0,,2.0,1.6487212707001282,0.7"), "second row \(lines.count > 2 ? lines[2] : "")")
    }
}
