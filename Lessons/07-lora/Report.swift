import Foundation
import MaskedLanguageModeling
import MiniTorch
import Workbook

/// Writes the trace and sweep CSVs and the cells into `out`, prints the main tables and plots
/// forgetting against accuracy.
public func report(_ result: LessonResult, to out: OutputFolder) throws {
    let settings = result.settings
    try out.writeCSV("trace.csv", traceCSV(result))
    try out.writeCSV("sweep.csv", sweepCSV(result))
    try out.cell("task", taskText(result, tokenizer: result.base.tokenizer))
    try out.cell("zero-init", "max |logits(LoRA, B = 0) - logits(pretrained)| = \(fmt(Double(result.zeroInitDifference), digits: 1))")
    let r8 = result.loraRun(r: settings.mergeRank)
    try out.cell("trainable", "LoRA r=\(settings.mergeRank) on query/value: " + trainableParametersLine(trainable: r8.trainableParameters, all: r8.allParameters))
    try out.cell("runs", runsTable(result).render())
    try out.cell("sweep", sweepTable(result).render())
    try out.cell("scaling", scalingTable(result).render())
    try out.cell("merge", mergeText(result))
    try out.cell("disabled", disabledTable(result).render())
    try out.cell("matched", matchedTable(result).render())

    if !out.quiet {
        print(runsTable(result))
        print(matchedTable(result))
    }
    var plot = TerminalPlot(title: "forgetting vs task accuracy (every evaluation)", xLabel: "validation accuracy", height: 16)
    let shown = [result.loraRun(r: settings.mergeRank).method] + result.lora.filter { $0.method.loraConfig?.targetModules == Method.allLinear }.map(\.method)
    for run in result.runs where run.method == .full || shown.contains(run.method) {
        plot.add(shortName(run), x: run.log.map(\.accuracy), y: run.log.map(\.perplexity))
    }
    plot.show(quiet: out.quiet)
    if !out.quiet { print("wrote \(out.file("trace.csv"))") }
}

// What the run prints and writes: tables, the chapter's named outputs and the CSVs the figures
// read. Every number comes from a `LessonResult`, which the tests build the same way.

/// "full 1e-4", "LoRA r=8 q/v", "LoRA r=8 all".
public func shortName(_ run: FineTuneResult) -> String {
    switch run.method {
    case .full: return "full \(fmtScientific(Double(run.learningRate), digits: 0))"
    case .lora(let c): return "LoRA r=\(c.r) \(c.targetModules == Method.allLinear ? "all" : "q/v")"
    }
}

/// The task, in numbers and a few examples.
public func taskText(_ r: LessonResult, tokenizer: WordTokenizer) -> String {
    let pairs = SyntheticCorpus.countries.count * SyntheticCorpus.factTemplates.count
    let held = Int((Double(pairs) * FactTask.validationShare).rounded())
    var lines = ["\(pairs) (country, form) pairs: \(pairs - held) for training, \(held) held out for validation",
                 "\(fmt(r.task.train.count)) training and \(fmt(r.task.validation.count)) validation sentences drawn from them",
                 "labels: " + FactTask.continents.joined(separator: ", ")]
    for e in r.task.validation.prefix(4) {
        lines.append("  \(tokenizer.decode(e.ids, skipSpecialTokens: true).padding(toLength: 40, withPad: " ", startingAt: 0)) -> \(FactTask.continents[e.label])")
    }
    return lines.joined(separator: "\n")
}

/// Every run: what it trains, what that costs, and what it reached.
public func runsTable(_ r: LessonResult) -> Table {
    var table = Table(["run", "trainable", "share", "AdamW state", "peak/update", "accuracy", "MLM ppl"])
    table.addRow("pretrained", "", "", "", "", "", fmt(r.basePerplexity, digits: 2))
    for run in r.runs {
        table.addRow(shortName(run), fmt(run.trainableParameters),
                     fmtPercent(run.trainableShare, digits: 2), fmtBytes(run.optimizerStateBytes), fmtBytes(run.peakTrainingBytes),
                     fmt(run.accuracy), fmt(run.perplexity, digits: 2))
    }
    return table
}

/// The rank sweep: parameters by the formula and counted, accuracy and forgetting.
public func sweepTable(_ r: LessonResult) -> Table {
    var table = Table(["r", "alpha", "r x (64 + 64) x 4", "+ head", "= trainable", "share", "accuracy", "MLM ppl"])
    for run in r.sweep {
        let c = run.method.loraConfig!
        table.addRow(String(c.r), fmt(Double(c.loraAlpha), digits: 0), fmt(run.adapterParameters),
                     fmt(run.trainableParameters - run.adapterParameters), fmt(run.trainableParameters),
                     fmtPercent(run.trainableShare, digits: 2), fmt(run.accuracy), fmt(run.perplexity, digits: 2))
    }
    return table
}

/// The merge and file-size checks.
public func mergeText(_ r: LessonResult) -> String {
    let m = r.merge
    return """
    max |logits(adapter apart) - logits(merged)|           = \(fmtScientific(Double(m.mergedDifference)))
    max |logits(adapter apart) - logits(merge_and_unload)| = \(fmtScientific(Double(m.unloadedDifference)))
    max |logits(adapter apart) - logits(reloaded adapter)| = \(fmtScientific(Double(m.reloadedDifference)))
    merge then unmerge: largest change of a base weight    = \(fmtScientific(Double(m.unmergeWeightDifference)))
    adapter_model.safetensors: \(fmt(m.adapterFileBytes)) bytes
    model.safetensors:         \(fmt(m.modelFileBytes)) bytes
    the adapter is \(fmtPercent(m.adapterFraction)) of the model file
    """
}

/// MLM perplexity of each LoRA run with its adapter merged and with it disabled.
public func disabledTable(_ r: LessonResult) -> Table {
    var table = Table(["run", "adapter merged", "adapter disabled", "pretrained"])
    for (run, off) in zip(r.lora, r.disabledPerplexities) {
        table.addRow(shortName(run), fmt(run.perplexity, digits: 4), fmt(off, digits: 4), fmt(r.basePerplexity, digits: 4))
    }
    return table
}

/// Forgetting at matched accuracy: the best perplexity each family reached at each accuracy.
public func matchedTable(_ r: LessonResult) -> Table {
    var table = Table(["accuracy at least", "full fine-tune", "LoRA", "forgets less"])
    for row in r.forgetting.table {
        table.addRow(fmt(row.accuracy, digits: 3), fmt(row.full, digits: 2), fmt(row.lora, digits: 2),
                     row.lora < row.full ? "LoRA" : "full")
    }
    return table
}

/// Every evaluation of every run: the trade-off figure's points.
public func traceCSV(_ r: LessonResult) -> CSVTable {
    var csv = CSVTable(header: ["run", "family", "learning_rate", "step", "accuracy", "perplexity"])
    for run in r.runs {
        for row in run.log {
            csv.addRow([shortName(run), run.method == .full ? "full" : "lora", "\(run.learningRate)", "\(row.step)",
                        fmt(row.accuracy, digits: 4), fmt(row.perplexity, digits: 4)])
        }
    }
    return csv
}

/// The rank sweep for the sweep figure.
public func sweepCSV(_ r: LessonResult) -> CSVTable {
    var csv = CSVTable(header: ["r", "trainable", "accuracy", "perplexity"])
    for run in r.sweep {
        csv.addRow(["\(run.method.loraConfig!.r)", "\(run.trainableParameters)", fmt(run.accuracy, digits: 4), fmt(run.perplexity, digits: 4)])
    }
    return csv
}

/// The rank sweep under each scaling rule: the factor on the update, the accuracy, the forgetting.
public func scalingTable(_ r: LessonResult) -> Table {
    var table = Table(["scaling", "r", "alpha", "factor", "accuracy", "MLM ppl"])
    for row in r.scaling {
        table.addRow(row.rule.rawValue, String(row.r), fmt(Double(row.config.loraAlpha), digits: 0),
                     fmt(Double(row.config.scaling), digits: 2), fmt(row.run.accuracy), fmt(row.run.perplexity, digits: 2))
    }
    return table
}
