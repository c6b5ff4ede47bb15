import Foundation
import MiniTorch
import Workbook

/// Writes the lesson's CSVs and cells into `out` and plots the two clipping runs on the terminal.
public func report(_ result: LessonResult, to out: OutputFolder) throws {
    let settings = result.settings
    try out.writeCSV("clipping.csv", clippingCSV(result))
    try out.writeCSV("underflow.csv", underflowCSV(result))
    try out.writeCSV("precision.csv", precisionCSV(result))
    try out.cell("clipping", clippingTable(result).render())
    try out.cell("nan-diverged", result.unclipped.stopped.map { "error: \($0)" } ?? "no clipping: the run finished")
    try out.cell("clip-order", clipOrderText(compareClipOrder({ var p = settings.precision; p.seed = settings.seed; return p }())))
    try out.cell("nan-bad-batch", result.badBatch.stopped.map { "error: \($0)" } ?? "bad batch: the run finished")
    try out.cell("edges", edgesTable().render())
    try out.cell("rounding-error", roundingErrorTable(result).render())
    try out.cell("underflow", underflowTable(result).render())
    try out.cell("precision-runs", precisionTable(result).render())

    var plot = TerminalPlot(title: "loss at learning rate \(settings.learningRate) (log scale)", xLabel: "step", logY: true)
    plot.add("no clipping", y: result.unclipped.losses.filter(\.isFinite).map(Double.init))
    plot.add("clipped to \(settings.maxGradNorm)", y: result.clipped.losses.map(Double.init))
    plot.show(quiet: out.quiet)
}

// The tables and CSV files of the lesson, built from its results.

public func clippingCSV(_ r: LessonResult) -> CSVTable {
    func cell(_ values: [Float], _ i: Int) -> String { i < values.count ? "\(values[i])" : "nan" }
    var table = CSVTable(header: ["step", "loss_unclipped", "grad_norm_unclipped", "loss_clipped", "grad_norm_clipped"])
    for i in 0..<r.settings.maxSteps {
        table.addRow(["\(i + 1)", cell(r.unclipped.losses, i), cell(r.unclipped.gradNorms, i),
                      cell(r.clipped.losses, i), cell(r.clipped.gradNorms, i)])
    }
    return table
}

public func clippingTable(_ r: LessonResult) -> Table {
    var table = Table(["run", "learning rate", "first loss", "grad norm, step 1", "largest grad norm", "clipped steps", "outcome"])
    for run in [r.unclipped, r.clipped] {
        let finite = run.gradNorms.filter(\.isFinite)
        let outcome = run.stoppedAt.map { "stopped at step \($0)" }
            ?? "loss \(fmt(Double(run.tailLoss()))) (last 20 steps)"
        table.addRow(run.name + (run.maxGradNorm.map { " (max norm \(fmt(Double($0), digits: 1)))" } ?? ""),
                     "\(run.learningRate)", fmt(Double(run.losses[0])), fmt(Double(run.gradNorms[0])),
                     fmtMetric(Double(finite.max() ?? .nan)), "\(run.clippedSteps) of \(run.gradNorms.count)", outcome)
    }
    return table
}

public func edgesTable() -> Table {
    func show(_ x: Float) -> String { x == 0 ? "0" : (x.isInfinite ? "inf" : "\(x)") }
    var table = Table(["value", "Float32", "fp16", "bf16"])
    for e in edgeValues { table.addRow(e.label, "\(e.value)", show(e.fp16), show(e.bf16)) }
    return table
}

public func roundingErrorTable(_ r: LessonResult) -> Table {
    var table = Table(["format", "precision bits", "unit roundoff 2^-p", "largest error measured", "mean error", "decimal digits"])
    for e in r.errors {
        table.addRow(e.format.rawValue, "\(e.format.precisionBits)", fmtPercent(Double(e.format.unitRoundoff), digits: 3),
                     fmtPercent(e.largest, digits: 3), fmtPercent(e.mean, digits: 3), fmt(e.digits, digits: 1))
    }
    return table
}

public func underflowCSV(_ r: LessonResult) -> CSVTable {
    var table = CSVTable(header: ["step", "nonzero", "median_magnitude", "zero_fp16", "subnormal_fp16",
                                  "zero_fp16_scaled", "overflow_fp16_scaled", "zero_bf16"])
    for u in r.precisionRun(.fp32).underflow {
        table.addRow(["\(u.step)", "\(u.nonzero)", "\(u.medianMagnitude)", "\(u.zeroInFP16)", "\(u.subnormalInFP16)",
                      "\(u.zeroInFP16Scaled)", "\(u.overflowInFP16Scaled)", "\(u.zeroInBF16)"])
    }
    return table
}

public func underflowTable(_ r: LessonResult) -> Table {
    let scale = Int(r.settings.precision.lossScale)
    var table = Table(["step", "median |grad|", "0 in fp16", "subnormal in fp16", "0 in fp16 x \(scale)", "0 in bf16"])
    for u in r.precisionRun(.fp32).underflow {
        table.addRow("\(u.step)", fmtScientific(Double(u.medianMagnitude)), fmtPercent(u.zeroInFP16),
                     fmtPercent(u.subnormalInFP16), fmtPercent(u.zeroInFP16Scaled), fmtPercent(u.zeroInBF16))
    }
    return table
}

public func precisionCSV(_ r: LessonResult) -> CSVTable {
    let names = ["fp32", "fp16", "fp16_static", "fp16_dynamic", "bf16"]
    var table = CSVTable(header: ["step"] + names.map { "loss_\($0)" } + names.map { "zero_share_\($0)" } + ["scale_dynamic", "skipped_dynamic"])
    let dynamic = r.precisionRun(.fp16Dynamic)
    for i in 0..<r.settings.precision.maxSteps {
        let losses = r.precisionRuns.map { "\($0.losses[i])" }
        let zeros = r.precisionRuns.map { "\($0.zeroShares[i])" }
        table.addRow(["\(i + 1)"] + losses + zeros + ["\(dynamic.scales[i])", dynamic.skippedSteps.contains(i + 1) ? "1" : "0"])
    }
    return table
}

/// Mean share of nonzero gradient elements that 16-bit storage zeroed over the last `n` steps.
public func lateZeroShare(_ run: PrecisionRun, last n: Int = 100) -> Double {
    let tail = run.zeroShares.suffix(n)
    return tail.reduce(0, +) / Double(tail.count)
}

public func precisionTable(_ r: LessonResult) -> Table {
    var table = Table(["gradients", "final loss", "zeroed, last 100 steps", "skipped steps", "final scale"])
    for run in r.precisionRuns {
        table.addRow(run.mode.rawValue, fmtScientific(Double(run.tailLoss())), fmtPercent(lateZeroShare(run), digits: 2),
                     "\(run.skippedSteps.count)", run.scales.last! == 1 ? "-" : "2^\(Int(log2(Double(run.scales.last!))))")
    }
    return table
}
