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
    try out.cell("fill-mask", fillMaskTable(result).render())
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
    CSVTable(header: ["step", "step_seconds", "samples_per_second", "tokens_per_second"],
             rows: r.timings.map { ["\($0.step)", "\($0.seconds)", "\($0.samplesPerSecond)", "\($0.tokensPerSecond)"] })
}

/// The evaluation rows alone, one per logging step (what the dashboard's curves plot).
public func evaluationsCSV(_ r: LessonResult) -> CSVTable {
    CSVTable(header: ["step", "train_loss", "eval_loss", "perplexity", "accuracy", "macro_f1", "mlm_perplexity", "fill_mask_p", "fill_mask_top"],
             rows: r.evaluations.map { e in
                 ["\(e.step)", "\(e.trainLoss)", "\(e.eval.loss)", "\(e.eval.perplexity)", "\(e.eval.accuracy)", "\(e.eval.macroF1)",
                  "\(e.probe.mlmPerplexity)", "\(e.probe.expectedProbability)", e.probe.guesses[0].token]
             })
}

/// The steps the tables show: the first two evaluations, steps 100 and 200, the best, the last.
func shownSteps(_ r: LessonResult) -> [Int] {
    [r.settings.loggingSteps, 2 * r.settings.loggingSteps, 100, 200, r.best.step, r.evaluations.last!.step]
}

/// The validation numbers at a few steps, after the row of the untrained head.
public func evaluationsTable(_ r: LessonResult) -> Table {
    var table = Table(["step", "train loss", "eval loss", "perplexity", "accuracy", "macro-F1", "MLM pseudo-PPL"])
    table.addRow("0", "", fmt(r.initial.loss), fmt(r.initial.perplexity), fmt(r.initial.accuracy), fmt(r.initial.macroF1),
                 fmt(r.start.mlmPerplexity))
    let best = r.best.step
    for e in r.evaluations where shownSteps(r).contains(e.step) {
        table.addRow("\(e.step)\(e.step == best ? " (best)" : "")", fmt(e.trainLoss), fmt(e.eval.loss), fmt(e.eval.perplexity),
                     fmt(e.eval.accuracy), fmt(e.eval.macroF1), fmt(e.probe.mlmPerplexity))
    }
    return table
}

/// The fill-mask sample at each evaluation: the encoder's three best guesses through lesson 06's
/// MLM head, and the probability of the remembered word.
public func fillMaskTable(_ r: LessonResult) -> Table {
    var table = Table(["step", "\"\(r.settings.fillMaskPrompt)\": top 3", "p(\(r.settings.fillMaskExpected))"])
    func guesses(_ p: EncoderProbe) -> String {
        p.guesses.prefix(3).map { "\($0.token) \(fmt($0.probability, digits: 2))" }.joined(separator: ", ")
    }
    table.addRow("0", guesses(r.start), fmt(r.start.expectedProbability))
    for e in r.evaluations where e.step % (4 * r.settings.loggingSteps) == 0 || e.step == r.evaluations.last!.step {
        table.addRow("\(e.step)", guesses(e.probe), fmt(e.probe.expectedProbability))
    }
    return table
}

/// Each layer's median update-to-weight ratio over the steps after warmup that were not skipped.
public func medianUpdateRatios(_ r: LessonResult) -> [(layer: String, ratio: Double)] {
    let rows = r.log.rows.filter { $0.step > r.settings.warmupSteps && $0["skipped"] != 1 }
    let layers = rows[0].extra.map(\.0).filter { $0.hasPrefix("update_ratio/") }
    return layers.map { column in
        let values = rows.compactMap { $0[column] }.sorted()
        return (String(column.dropFirst("update_ratio/".count)), values[values.count / 2])
    }
}

/// One line per thing the dashboard shows, with this run's numbers; the timing line is
/// wall-clock, so it is shown but not part of what is compared between runs.
public func runFacts(_ r: LessonResult) -> String {
    let s = r.settings
    let lrs = r.log.series("lr").map(\.value)
    let norms = r.log.series("grad_norm").map(\.value).filter(\.isFinite)
    let clipped = norms.filter { $0 > Double(s.maxGradNorm) }.count
    let ratios = medianUpdateRatios(r).map { "\($0.layer) \(fmtScientific($0.ratio))" }.joined(separator: ", ")
    let resident = r.log.series("resident_mb").map(\.value)
    var lines = [
        "steps: \(s.totalSteps) (\(s.numTrainEpochs) epochs of \(s.stepsPerEpoch)), evaluated every \(s.loggingSteps); \(fmt(r.parameterCount)) parameters, all trained",
        "learning rate: peak \(fmtScientific(lrs.max()!)) after \(s.warmupSteps) warmup steps, \(fmtScientific(lrs.last!)) at the last step",
        "gradient norm: \(fmt(norms.first!)) at step 1, largest \(fmt(norms.max()!)), \(fmt(norms.last!)) at the end; \(clipped) steps clipped to \(fmt(Double(s.maxGradNorm), digits: 1))",
        "update / weight, median after warmup: \(ratios)",
    ]
    if s.precision == .fp16 {
        let scales = r.log.series("loss_scale").map(\.value)
        lines.append("loss scale: \(fmt(scales.first!, digits: 0)) at step 1, \(fmt(scales.min()!, digits: 0)) to \(fmt(scales.max()!, digits: 0)), \(fmt(scales.last!, digits: 0)) at the end; \(r.skippedSteps.count) steps skipped (\(r.skippedSteps.prefix(8).map(String.init).joined(separator: ", "))\(r.skippedSteps.count > 8 ? ", ..." : ""))")
    }
    lines.append("memory: \(fmtBytes(Int((resident[0] * 1_048_576).rounded()))) resident before step 1, \(fmtBytes(Int((resident.last! * 1_048_576).rounded()))) from step 2 on; peak \(fmtBytes(r.peakBytes)) during a step")
    return lines.joined(separator: "\n")
}

public func timingLine(_ r: LessonResult) -> String {
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    return "median step \(fmt(median(r.timings.map(\.seconds)) * 1000, digits: 2)) ms, \(fmt(median(r.timings.map(\.samplesPerSecond)), digits: 0)) samples/s, \(fmt(median(r.timings.map(\.tokensPerSecond)), digits: 0)) tokens/s (wall clock: differs on every run)"
}
