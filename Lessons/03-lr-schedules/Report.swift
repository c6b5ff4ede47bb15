import Foundation
import MiniTorch
import Workbook

/// Writes the schedules, the runs and the range test as CSVs, the cells, and plots three rates.
public func report(_ result: LessonResult, to out: OutputFolder) throws {
    let s = result.settings
    let (sweep, warmup, range, yours) = (result.sweep, result.warmup, result.range, result.yours)
    try out.writeCSV("schedules.csv", schedulesTable(result.hf))
    try out.writeCSV("torch_schedules.csv", schedulesTable(result.torch))
    try out.writeCSV("schedule_options.csv", schedulesTable(result.options))
    try out.writeCSV("regimes.csv", runsTable(sweep.runs))
    try out.writeCSV("warmup.csv", runsTable([warmup.withoutWarmup, warmup.withWarmup]))
    try out.writeCSV("demo.csv", runsTable([yours]))
    try out.writeCSV("range_test.csv", header: ["step", "lr", "loss", "smoothed_loss"],
                     rows: range.lrs.indices.map { i in
                         ["\(i)", "\(range.lrs[i])", "\(range.losses[i])", "\(range.smoothedLosses[i])"]
                     })
    try out.writeCSV("range_test_marks.csv", header: ["mark", "lr", "smoothed_loss"],
                     rows: [("minimum", range.minimumLossLR), ("suggested", range.suggestedLR),
                            ("steepest", range.steepestLR), ("tuned", sweep.tunedRate)].map { mark, lr in
                         [mark, "\(lr)", "\(smoothedLoss(range, at: lr))"]
                     })

    try out.cell("schedule-values", scheduleValuesTable(result.hf + result.options.suffix(2), warmupSteps: s.warmupSteps, maxSteps: s.maxSteps).render())
    try out.cell("sweep", sweepTable(sweep).render())
    try out.cell("diverged", sweep.runs.compactMap(divergenceLine).joined(separator: "\n"))
    try out.cell("warmup", warmupLines(warmup))
    try out.cell("range-test", rangeTestLines(range, tunedRate: sweep.tunedRate))
    try out.cell("your-run", yourRunLine(yours, settings: s))

    var plot = TerminalPlot(title: "loss at three constant rates (log scale)", xLabel: "step", logY: true)
    for (label, run) in [("too low", sweep.tooLow), ("tuned", sweep.tuned), ("too high", sweep.tooHigh)] {
        plot.add("\(label) (\(run.name))", y: run.losses.map(Double.init))
    }
    plot.show(quiet: out.quiet)
}


/// `step,schedule,lr`: one row per schedule and step, the long format gnuplot filters by name.
/// schedules.csv is this table for the Hugging Face schedules.
public func schedulesTable(_ curves: [ScheduleCurve]) -> CSVTable {
    CSVTable(header: ["step", "schedule", "lr"], rows: curves.flatMap { curve in
        zip(curve.steps, curve.lrs).map { ["\($0)", curve.name, "\($1)"] }
    })
}

/// `step,run,lr,loss`: every step of every run, the rate it used and the loss of its batch.
public func runsTable(_ runs: [TrainingRun]) -> CSVTable {
    CSVTable(header: ["step", "run", "lr", "loss"], rows: runs.flatMap { run in
        run.losses.indices.map { ["\($0)", run.name, "\(run.lrs[$0])", "\(run.losses[$0])"] }
    })
}

public func smoothedLoss(_ range: RangeTestResult, at lr: Float) -> Float {
    let nearest = range.lrs.indices.min { abs(log(range.lrs[$0] / lr)) < abs(log(range.lrs[$1] / lr)) }!
    return range.smoothedLosses[nearest]
}

public func scheduleValuesTable(_ curves: [ScheduleCurve], warmupSteps: Int, maxSteps: Int) -> Table {
    let steps = Array(Set([0, warmupSteps, (warmupSteps + maxSteps + 1) / 2, maxSteps])).sorted()
    var table = Table(["schedule"] + steps.map { "step \($0)" })
    for curve in curves {
        table.addRow([curve.name] + steps.map { fmtScientific(Double(curve.lrs[$0])) })
    }
    return table
}

public func sweepTable(_ sweep: Sweep) -> Table {
    var table = Table(["learning rate", "what happened", "loss, first 10 steps", "loss, last 10 steps"])
    for run in sweep.runs {
        var what = verdict(of: run).text
        if run.name == sweep.tuned.name { what += " (tuned)" }
        // A diverged run has no ten steps to average: show its first loss and the one it stopped at.
        let first = run.diverged ? run.startLoss : run.headLoss()
        let final = run.diverged ? run.finalLoss : run.tailLoss()
        table.addRow(run.name.replacingOccurrences(of: "lr ", with: ""), what,
                     fmt(Double(first)), fmtMetric(Double(final)))
    }
    return table
}

public func divergenceLine(_ run: TrainingRun) -> String? {
    guard case .diverged(let step, let loss) = run.outcome else { return nil }
    let why = loss.isFinite ? "is more than \(fmt(Double(divergenceFactor), digits: 0)) x its start (\(fmt(Double(run.startLoss))))"
                            : "is not a number"
    return "\(run.name): loss \(fmtMetric(Double(loss))) at step \(step) \(why); stopped there. Try a lower --learning-rate."
}

public func warmupLines(_ w: WarmupComparison) -> String {
    func describe(_ run: TrainingRun) -> String {
        if case .diverged(let step, let loss) = run.outcome {
            return "diverged at step \(step) (loss \(fmtMetric(Double(loss))), lr \(fmtScientific(Double(run.lrs[step]))))"
        }
        return "\(verdict(of: run).text), final loss \(fmt(Double(run.tailLoss())))"
    }
    return """
        peak lr \(rateText(w.peak)), linear decay over the run
          no warmup:       \(describe(w.withoutWarmup))
          warmup \(w.warmupSteps) steps: \(describe(w.withWarmup))
        """
}

public func rangeTestLines(_ r: RangeTestResult, tunedRate: Float) -> String {
    let ratio = max(r.suggestedLR / tunedRate, tunedRate / r.suggestedLR)
    return """
        LR range test: lr from \(fmtScientific(Double(r.lrs.first!))) up to \(fmtScientific(Double(r.lrs.last!)))\(r.stoppedAt.map { ", stopped at step \($0): smoothed loss above 4 x its minimum" } ?? "")
          lowest smoothed loss \(fmt(Double(r.smoothedLosses.min()!))) at lr \(fmtScientific(Double(r.minimumLossLR)))
          steepest descent at lr \(fmtScientific(Double(r.steepestLR)))
          suggested lr (a tenth of the minimum): \(fmtScientific(Double(r.suggestedLR)))
          the sweep's tuned lr: \(fmtScientific(Double(tunedRate))) (\(fmt(Double(ratio), digits: 1)) x apart)
        """
}

public func yourRunLine(_ run: TrainingRun, settings: Settings) -> String {
    let setup = "your run: \(settings.lrSchedulerType), peak \(rateText(settings.learningRate)), warmup \(settings.warmupSteps), \(settings.maxSteps) steps"
    if let line = divergenceLine(run) { return setup + "\n  " + line }
    return setup + "\n  " + "\(verdict(of: run).text), final loss \(fmt(Double(run.tailLoss())))"
}
