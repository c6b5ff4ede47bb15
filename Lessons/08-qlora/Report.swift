import Foundation
import MiniTorch
import Workbook

/// Writes the cells and CSVs, saves the first QLoRA run (PEFT adapter, dequantized base,
/// logits) into `out`, and prints the main tables and the accuracy curves.
public func report(_ result: LessonResult, to out: OutputFolder) throws {
    let s = result.settings
    let c = result.codebooks
    try out.cell("codebooks", codebookTable().render())
    try out.cell("nf4-derived", "Phi^-1 quantiles, normalised: " + normalFloatCodebook().map { fmt(Double($0), digits: 4) }.joined(separator: " "))
    try out.cell("reconstruction", reconstructionTable(c).render())
    try out.cell("weights-shape", "\(fmt(c.weightCount)) encoder weights: std \(fmt(c.weightStd, digits: 4)), excess kurtosis \(fmt(c.weightKurtosis, digits: 2)) (0 for a normal distribution); \(fmt(c.sampleCount)) normal samples")
    try out.cell("bits", footprintTable(result.footprints).render())
    try out.cell("perplexity", perplexityTable(result.perplexities).render())
    try out.cell("adapters", adapterTable(result).render())
    try out.cell("accuracy-gap", "mean validation accuracy over \(s.fineTuneSeeds) seeds: float32 base \(fmtPercent(result.fullPrecisionAccuracy, digits: 1)), 4-bit base \(fmtPercent(result.quantizedAccuracy, digits: 1)); difference \(fmt(100 * result.accuracyGap, digits: 1)) percentage points")
    if let paging = result.quantized[0].paging { try out.cell("paging", pagingText(paging)) }
    try out.cell("arithmetic", result.sixtyFiveB.report())

    try out.writeCSV("codes.csv", codesTable(c))
    try out.writeCSV("accuracy.csv", accuracyTable(result))
    try saveQLoRAFolders(result, base: result.base, to: URL(fileURLWithPath: out.path))
    let epochs = result.fullPrecision[0].accuracyByEpoch.indices

    if !out.quiet {
        print(reconstructionTable(c).render())
        print(perplexityTable(result.perplexities).render())
        print(adapterTable(result).render())
        print(result.sixtyFiveB.report())
    }
    var plot = TerminalPlot(title: "validation accuracy (mean over seeds)", xLabel: "epoch", height: 14)
    plot.add("float32 base", x: epochs.map(Double.init), y: meanCurve(result.fullPrecision))
    plot.add("\(s.quantType.rawValue) base", x: epochs.map(Double.init), y: meanCurve(result.quantized))
    plot.show(quiet: out.quiet)
}

/// The chapter's tables and texts, built from a run's result.

public func codebookTable() -> Table {
    var table = Table(["code", "nf4", "fp4", "int4"])
    for code in 0..<16 {
        table.addRow(String(code), fmt(Double(QuantType.nf4.codebook[code]), digits: 4),
                     fmt(Double(QuantType.fp4.codebook[code]), digits: 4), fmt(Double(QuantType.int4.codebook[code]), digits: 4))
    }
    return table
}

public func reconstructionTable(_ c: CodebookComparison) -> Table {
    var table = Table(["code book", "error on encoder weights", "error on normal samples", "code entropy (normal)"])
    for (w, n) in zip(c.onWeights, c.onNormal) {
        table.addRow(w.quantType.rawValue, fmtPercent(w.relativeError, digits: 2), fmtPercent(n.relativeError, digits: 2),
                     fmt(n.codeEntropy, digits: 2) + " bits")
    }
    return table
}

public func footprintTable(_ footprints: [Footprint]) -> Table {
    var table = Table(["tensors", "parameters", "double quant", "codes", "constants", "ledger", "bits / parameter"])
    for (i, f) in footprints.enumerated() {
        table.addRow(f.name, fmt(f.parameters), i % 2 == 0 ? "no" : "yes", fmt(f.codeBytes) + " B", fmt(f.constantBytes) + " B",
                     fmt(f.ledgerBytes) + " B", fmt(f.bitsPerParameter, digits: 4))
    }
    return table
}

public func perplexityTable(_ rows: [QuantizedPerplexity]) -> Table {
    var table = Table(["encoder linear layers", "MLM perplexity", "vs float32", "model in memory"])
    let reference = rows[0].perplexity
    for r in rows {
        table.addRow(r.name, fmt(r.perplexity, digits: 3), (r.perplexity >= reference ? "+" : "") + fmtPercent(r.perplexity / reference - 1, digits: 2),
                     fmtBytes(r.modelBytes))
    }
    return table
}

public func adapterTable(_ r: LessonResult) -> Table {
    let seeds = (0..<r.fullPrecision.count).map { "seed \(r.settings.seed + $0)" }
    var table = Table(["run"] + seeds + ["mean accuracy", "trainable", "model in memory", "peak while training", "optimizer"])
    for (runs, mean) in [(r.fullPrecision, r.fullPrecisionAccuracy), (r.quantized, r.quantizedAccuracy)] {
        let first = runs[0]
        table.addRow([first.name] + runs.map { fmtPercent($0.accuracy, digits: 1) } + [fmtPercent(mean, digits: 1),
                     fmt(first.trainableParameters), fmtBytes(first.modelBytes), fmtBytes(first.peakTrainingBytes),
                     first.paging == nil ? "AdamW" : "PagedAdamW"])
    }
    return table
}

public func pagingText(_ p: PagingReport) -> String {
    """
    optimizer state: \(fmt(p.stateBytes)) bytes in \(fmt(p.stateBytes / p.pageBytes)) pages of \(fmt(p.pageBytes)) bytes
    device budget:   \(fmt(p.budgetBytes)) bytes (\(fmt(p.budgetBytes / p.pageBytes)) pages)
    peak on device:  \(fmt(p.peakResidentBytes)) bytes
    over \(fmt(p.steps)) steps: \(fmt(p.pageOuts)) pages out to the host, \(fmt(p.pageIns)) back in (\(fmt(Double(p.pageIns) / Double(p.steps), digits: 1)) a step, \(fmtBytes((p.pageIns + p.pageOuts) * p.pageBytes / max(p.steps, 1))) moved a step)
    """
}

/// codes.csv: each code's value in the three code books and the share of normal samples it got.
public func codesTable(_ c: CodebookComparison) -> CSVTable {
    var rows: [[String]] = []
    for code in 0..<16 {
        let values = QuantType.allCases.map { String(Double($0.codebook[code])) }
        let shares = c.onNormal.map { String($0.codeUsage[code]) }
        rows.append([String(code)] + values + shares)
    }
    return CSVTable(header: ["code", "nf4_value", "fp4_value", "int4_value", "nf4_share", "fp4_share", "int4_share"], rows: rows)
}

/// accuracy.csv: validation accuracy after each epoch of both fine-tunes.
/// accuracy.csv: validation accuracy after each epoch, averaged over the seeds, on both bases.
public func accuracyTable(_ r: LessonResult) -> CSVTable {
    let rows = meanCurve(r.fullPrecision).indices.map { i in
        [String(i), String(meanCurve(r.fullPrecision)[i]), String(meanCurve(r.quantized)[i])]
    }
    return CSVTable(header: ["epoch", "float32_base", "nf4_base"], rows: rows)
}

/// Validation accuracy after each epoch, averaged over runs.
public func meanCurve(_ runs: [AdapterRun]) -> [Double] {
    runs[0].accuracyByEpoch.indices.map { i in runs.reduce(0) { $0 + $1.accuracyByEpoch[i] } / Double(runs.count) }
}
