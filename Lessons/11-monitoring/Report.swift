import Foundation
import MiniTorch
import Workbook

/// The wall-clock numbers, apart from metrics.csv: they change from run to run.
public func timingCSV(_ r: MonitoringResult) -> CSVTable {
    CSVTable(header: ["step", "step_seconds", "samples_per_second"],
             rows: r.timings.map { ["\($0.step)", "\($0.seconds)", "\($0.samplesPerSecond)"] })
}

/// The evaluation rows alone, one per logging step (what the dashboard's curves plot).
public func evaluationsCSV(_ r: MonitoringResult) -> CSVTable {
    CSVTable(header: ["step", "train_loss", "eval_loss", "perplexity", "accuracy", "macro_f1"],
             rows: r.evaluations.map { e in
                 ["\(e.step)", "\(e.trainLoss)", "\(e.eval.loss)", "\(e.eval.perplexity)", "\(e.eval.accuracy)", "\(e.eval.macroF1)"]
             })
}

/// The validation numbers at a few steps: the start, the best loss, the end.
public func evaluationsTable(_ r: MonitoringResult) -> Table {
    var table = Table(["step", "train loss", "eval loss", "perplexity", "accuracy", "macro-F1"])
    let best = r.best.step
    let shown = r.evaluations.filter { [r.settings.loggingSteps, 2 * r.settings.loggingSteps, 100, best, r.evaluations.last!.step].contains($0.step) }
    for e in shown {
        table.addRow("\(e.step)\(e.step == best ? " (best)" : "")", fmt(e.trainLoss), fmt(e.eval.loss), fmt(e.eval.perplexity),
                     fmt(e.eval.accuracy), fmt(e.eval.macroF1))
    }
    return table
}

/// One line per thing the dashboard shows, with this run's numbers; the timing line is
/// wall-clock, so it is shown but not part of what is compared between runs.
public func runFacts(_ r: MonitoringResult) -> String {
    let lrs = r.log.series("lr").map(\.value), norms = r.log.series("grad_norm").map(\.value)
    let clipped = norms.filter { $0 > Double(r.settings.maxGradNorm) }.count
    return """
        steps: \(r.timings.count) (\(r.settings.numTrainEpochs) epochs of \(r.stepsPerEpoch)), evaluated every \(r.settings.loggingSteps)
        learning rate: peak \(fmtScientific(lrs.max()!)) after \(r.settings.warmupSteps) warmup steps, \(fmtScientific(lrs.last!)) at the last step
        gradient norm: \(fmt(norms.first!)) at step 1, largest \(fmt(norms.max()!)), \(fmt(norms.last!)) at the end; \(clipped) steps clipped to \(fmt(Double(r.settings.maxGradNorm), digits: 1))
        peak memory of a step: \(fmtBytes(r.peakBytes)) of tensor storage
        """
}

public func timingLine(_ r: MonitoringResult) -> String {
    let seconds = r.timings.map(\.seconds).sorted()
    let median = seconds[seconds.count / 2]
    return "median step \(fmt(median * 1000, digits: 2)) ms, \(fmt(Double(r.settings.perDeviceTrainBatchSize) / median, digits: 0)) samples/s (wall clock: differs on every run)"
}
