import Foundation
import MiniTorch
import Workbook

/// Writes the metrics log (CSV and JSON lines), the evaluations, the timings and the cells into
/// `out`, prints the speed line and plots the losses.
public func report(_ result: LessonResult, to out: OutputFolder) throws {
    try out.writeText("metrics.csv", result.log.csv())
    try out.writeText("metrics.jsonl", result.log.jsonLines())
    try out.writeCSV("evaluations.csv", evaluationsCSV(result))
    try out.writeCSV("timing.csv", timingCSV(result))
    try out.cell("evaluations", evaluationsTable(result).render())
    try out.cell("facts", runFacts(result))
    try out.cell("diagnosis", "diagnosis: \(result.diagnosis)")
    if !out.quiet { print(timingLine(result)) }

    var plot = TerminalPlot(title: "loss", xLabel: "step")
    plot.add("train", x: result.evaluations.map { Double($0.step) }, y: result.evaluations.map(\.trainLoss))
    plot.add("validation", x: result.evaluations.map { Double($0.step) }, y: result.evaluations.map(\.eval.loss))
    plot.show(quiet: out.quiet)
}

/// The wall-clock numbers, apart from metrics.csv: they change from run to run.
public func timingCSV(_ r: LessonResult) -> CSVTable {
    CSVTable(header: ["step", "step_seconds", "samples_per_second"],
             rows: r.timings.map { ["\($0.step)", "\($0.seconds)", "\($0.samplesPerSecond)"] })
}

/// The evaluation rows alone, one per logging step (what the dashboard's curves plot).
public func evaluationsCSV(_ r: LessonResult) -> CSVTable {
    CSVTable(header: ["step", "train_loss", "eval_loss", "perplexity", "accuracy", "macro_f1"],
             rows: r.evaluations.map { e in
                 ["\(e.step)", "\(e.trainLoss)", "\(e.eval.loss)", "\(e.eval.perplexity)", "\(e.eval.accuracy)", "\(e.eval.macroF1)"]
             })
}

/// The validation numbers at a few steps: the start, the best loss, the end.
public func evaluationsTable(_ r: LessonResult) -> Table {
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
public func runFacts(_ r: LessonResult) -> String {
    let lrs = r.log.series("lr").map(\.value), norms = r.log.series("grad_norm").map(\.value)
    let clipped = norms.filter { $0 > Double(r.settings.maxGradNorm) }.count
    return """
        steps: \(r.timings.count) (\(r.settings.numTrainEpochs) epochs of \(r.stepsPerEpoch)), evaluated every \(r.settings.loggingSteps)
        learning rate: peak \(fmtScientific(lrs.max()!)) after \(r.settings.warmupSteps) warmup steps, \(fmtScientific(lrs.last!)) at the last step
        gradient norm: \(fmt(norms.first!)) at step 1, largest \(fmt(norms.max()!)), \(fmt(norms.last!)) at the end; \(clipped) steps clipped to \(fmt(Double(r.settings.maxGradNorm), digits: 1))
        peak memory of a step: \(fmtBytes(r.peakBytes)) of tensor storage
        """
}

public func timingLine(_ r: LessonResult) -> String {
    let seconds = r.timings.map(\.seconds).sorted()
    let median = seconds[seconds.count / 2]
    return "median step \(fmt(median * 1000, digits: 2)) ms, \(fmt(Double(r.settings.perDeviceTrainBatchSize) / median, digits: 0)) samples/s (wall clock: differs on every run)"
}
