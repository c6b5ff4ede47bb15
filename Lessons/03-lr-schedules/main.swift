import ArgumentParser
import Foundation
import LRSchedules
import MiniTorch
import Workbook

struct LRSchedulesLesson: LessonCommand {
    static let lessonFolder = "03-lr-schedules"
    static let configuration = lessonConfiguration(
        abstract: "Learning rates too low, too high and tuned; every schedule; warmup; an LR range test.")

    @OptionGroup var options: LessonOptions

    @Option(help: "Peak learning rate of the schedules and of your run.")
    var learningRate: Double = 1e-3

    @Option(help: "Steps of linear warmup from 0 to the peak rate.")
    var warmupSteps: Int = 10

    @Option(help: "Optimizer steps in every run (and the length of the schedules).")
    var maxSteps: Int = 100

    @Option(help: "Schedule of your run: \(SchedulerType.allCases.map(\.rawValue).joined(separator: ", ")).")
    var lrSchedulerType: String = "linear"

    func validate() throws {
        try positive(learningRate, "--learning-rate")
        try check(learningRate > 1e-7, "--learning-rate must be above 1e-7, the polynomial schedule's end rate (got \(learningRate))")
        try atLeast(warmupSteps, 0, "--warmup-steps")
        try inRange(maxSteps, 1...10_000, "--max-steps")
        try check(warmupSteps < maxSteps, "--warmup-steps (\(warmupSteps)) must be less than --max-steps (\(maxSteps))")
        try check(SchedulerType(rawValue: lrSchedulerType) != nil,
                  "--lr-scheduler-type must be one of \(SchedulerType.allCases.map(\.rawValue).joined(separator: ", ")) (got \(lrSchedulerType))")
    }

    func run() throws {
        let out = try outputFolder()
        let peak = Float(learningRate)
        let problem = Problem(seed: options.seed)

        // 1. The schedules, computed without training anything.
        let hf = hfScheduleCurves(learningRate: peak, warmupSteps: warmupSteps, maxSteps: maxSteps)
        let torch = torchScheduleCurves(learningRate: peak, maxSteps: maxSteps)
        try out.writeCSV("schedules.csv", schedulesTable(hf))
        try out.writeCSV("torch_schedules.csv", schedulesTable(torch))
        let optionCurves = hfOptionCurves(learningRate: peak, warmupSteps: warmupSteps, maxSteps: maxSteps)
        try out.writeCSV("schedule_options.csv", schedulesTable(optionCurves))

        // 2. Train: the sweep, the warmup pair, the range test and your run.
        var bar = ProgressBar(total: sweepRates.count + 3, label: "training", quiet: options.quiet)
        let sweep = lrSweep(problem, steps: maxSteps) { done in bar.update(done) }
        let warmup = compareWarmup(problem, steps: maxSteps)
        bar.update(sweepRates.count + 1)
        let range = lrRangeTest(problem)
        bar.update(sweepRates.count + 2)
        let type = SchedulerType(rawValue: lrSchedulerType)!
        let yours = train(problem, name: "your run",
                          schedule: makeSchedule(type, learningRate: peak, warmupSteps: warmupSteps, maxSteps: maxSteps),
                          steps: maxSteps)
        bar.update(sweepRates.count + 3, metrics: ["loss": Double(yours.tailLoss())])
        bar.finish()

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

        // 3. What happened.
        try out.cell("schedule-values", scheduleValuesTable(hf + optionCurves.suffix(2), warmupSteps: warmupSteps, maxSteps: maxSteps).render())
        try out.cell("sweep", sweepTable(sweep).render())
        try out.cell("diverged", sweep.runs.compactMap(divergenceLine).joined(separator: "\n"))
        try out.cell("warmup", warmupLines(warmup))
        try out.cell("range-test", rangeTestLines(range, tunedRate: sweep.tunedRate))
        try out.cell("your-run", yourRunLine(yours, type: type))

        var plot = TerminalPlot(title: "loss at three constant rates (log scale)", xLabel: "step", logY: true)
        for (label, run) in [("too low", sweep.tooLow), ("tuned", sweep.tuned), ("too high", sweep.tooHigh)] {
            plot.add("\(label) (\(run.name))", y: run.losses.map(Double.init))
        }
        plot.show(quiet: options.quiet)
    }

    func smoothedLoss(_ range: RangeTestResult, at lr: Float) -> Float {
        let nearest = range.lrs.indices.min { abs(log(range.lrs[$0] / lr)) < abs(log(range.lrs[$1] / lr)) }!
        return range.smoothedLosses[nearest]
    }

    func scheduleValuesTable(_ curves: [ScheduleCurve], warmupSteps: Int, maxSteps: Int) -> Table {
        let steps = Array(Set([0, warmupSteps, (warmupSteps + maxSteps + 1) / 2, maxSteps])).sorted()
        var table = Table(["schedule"] + steps.map { "step \($0)" })
        for curve in curves {
            table.addRow([curve.name] + steps.map { fmtScientific(Double(curve.lrs[$0])) })
        }
        return table
    }

    func sweepTable(_ sweep: Sweep) -> Table {
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

    func divergenceLine(_ run: TrainingRun) -> String? {
        guard case .diverged(let step, let loss) = run.outcome else { return nil }
        let why = loss.isFinite ? "is more than \(fmt(Double(divergenceFactor), digits: 0)) x its start (\(fmt(Double(run.startLoss))))"
                                : "is not a number"
        return "\(run.name): loss \(fmtMetric(Double(loss))) at step \(step) \(why); stopped there. Try a lower --learning-rate."
    }

    func warmupLines(_ w: WarmupComparison) -> String {
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

    func rangeTestLines(_ r: RangeTestResult, tunedRate: Float) -> String {
        let ratio = max(r.suggestedLR / tunedRate, tunedRate / r.suggestedLR)
        return """
            LR range test: lr from \(fmtScientific(Double(r.lrs.first!))) up to \(fmtScientific(Double(r.lrs.last!)))\(r.stoppedAt.map { ", stopped at step \($0): smoothed loss above 4 x its minimum" } ?? "")
              lowest smoothed loss \(fmt(Double(r.smoothedLosses.min()!))) at lr \(fmtScientific(Double(r.minimumLossLR)))
              steepest descent at lr \(fmtScientific(Double(r.steepestLR)))
              suggested lr (a tenth of the minimum): \(fmtScientific(Double(r.suggestedLR)))
              the sweep's tuned lr: \(fmtScientific(Double(tunedRate))) (\(fmt(Double(ratio), digits: 1)) x apart)
            """
    }

    func yourRunLine(_ run: TrainingRun, type: SchedulerType) -> String {
        let setup = "your run: \(type.rawValue), peak \(rateText(Float(learningRate))), warmup \(warmupSteps), \(maxSteps) steps"
        if let line = divergenceLine(run) { return setup + "\n  " + line }
        return setup + "\n  " + "\(verdict(of: run).text), final loss \(fmt(Double(run.tailLoss())))"
    }
}

LRSchedulesLesson.main()
