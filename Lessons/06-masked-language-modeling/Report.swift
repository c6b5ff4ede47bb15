import Foundation
import MiniTorch
import Workbook

/// Writes the curve, the masking comparison, the model folder (Hugging Face's layout), the
/// fill-mask JSON and the cells into `out`, and plots the curve.
public func report(_ result: LessonResult, to out: OutputFolder) throws {
    try out.writeCSV("metrics.csv", metricsTable(result.run))
    try out.writeCSV("masking.csv", maskingTable(result.comparison))
    try savePretrained(result.run.model, tokenizer: result.corpus.tokenizer, settings: result.settings, to: out.path)
    try writeFillMaskJSON(result.fillMask, to: URL(fileURLWithPath: out.file("fill-mask.json")))

    try out.cell("settings", settingsText(result))
    try out.cell("initial-loss", initialLossText(result))
    try out.cell("masking-statistics", maskingStatisticsTable(result).render())
    try out.cell("masking-checks", maskingChecksText(result))
    try out.cell("curve", curveTable(result.run).render())
    try out.cell("fill-mask", fillMaskText(result.fillMask))
    try out.cell("comparison-settings", comparisonSettingsText(result.comparison))
    try out.cell("comparison", comparisonTable(result.comparison).render())
    try out.cell("summary", summaryTable(result, seconds: result.seconds).render())

    var plot = TerminalPlot(title: "masked-LM cross-entropy", xLabel: "step", height: 18)
    let rows = result.run.log.dropFirst()
    plot.add("train", x: rows.map { Double($0.step) }, y: rows.map(\.trainLoss))
    plot.add("validation", x: result.run.log.map { Double($0.step) }, y: result.run.log.map(\.validLoss))
    plot.show(quiet: out.quiet)
    if !out.quiet {
        print("wrote \(out.file("metrics.csv")) and the model folder \(out.file(PretrainedFiles.modelFolder))")
        let saved = CheckpointFolder.all(in: URL(fileURLWithPath: out.path)).map { $0.url.lastPathComponent }
        if !saved.isEmpty { print("checkpoints in \(out.path): \(saved.joined(separator: ", "))") }
    }
}

// What the run prints and writes: CSV for the figures, tables and text for the chapter.

/// `metrics.csv`: one row per evaluation of the pretraining run.
public func metricsTable(_ run: PretrainingRun) -> CSVTable {
    CSVTable(header: ["step", "epoch", "learning_rate", "train_loss", "valid_loss", "train_perplexity", "valid_perplexity"],
             rows: run.log.map { r in
                 ["\(r.step)", fmt(r.epoch, digits: 3), fmtScientific(Double(r.learningRate), digits: 4),
                  csvNumber(r.trainLoss), csvNumber(r.validLoss), csvNumber(r.trainPerplexity), csvNumber(r.validPerplexity)]
             })
}

/// `masking.csv`: validation loss of the dynamic and static runs, per evaluation.
public func maskingTable(_ c: MaskingComparison) -> CSVTable {
    CSVTable(header: ["step", "epoch", "dynamic_valid_loss", "static_valid_loss", "dynamic_train_loss", "static_train_loss"],
             rows: zip(c.dynamic.log, c.static.log).map { d, s in
                 ["\(d.step)", fmt(d.epoch, digits: 3), csvNumber(d.validLoss), csvNumber(s.validLoss),
                  csvNumber(d.trainLoss), csvNumber(s.trainLoss)]
             })
}

private func csvNumber(_ x: Double) -> String { x.isFinite ? String(format: "%.5f", x) : "nan" }

public func settingsText(_ r: LessonResult) -> String {
    let s = r.settings, c = s.config(vocabSize: r.corpus.tokenizer.vocabSize)
    let steps = r.run.log.last!.step
    return """
    corpus      \(fmt(r.corpus.train.count)) training and \(fmt(r.corpus.validation.count)) validation sentences, vocabulary \(c.vocabSize) words
    model       RobertaForMaskedLM: hidden \(c.hiddenSize), \(c.numHiddenLayers) layers, \(c.numAttentionHeads) heads, feed-forward \(c.intermediateSize), up to \(s.maxSeqLength) tokens; \(fmt(r.run.model.parameterCount())) parameters
    training    AdamW (lr \(fmtScientific(Double(s.learningRate))), betas 0.9/\(s.adamBeta2), weight decay \(s.weightDecay)), linear schedule with \(s.warmupSteps) warmup steps
                batch \(s.perDeviceTrainBatchSize), \(s.maxSteps == nil ? "\(s.numTrainEpochs) epochs = " : "")\(fmt(steps)) updates, dynamic masking at \(s.mlmProbability)
    """
}

public func initialLossText(_ r: LessonResult) -> String {
    let v = r.corpus.tokenizer.vocabSize
    return """
    vocabulary size V                    \(v)
    ln V (a uniform guess)               \(fmt(r.lnVocab, digits: 3))
    validation loss before training      \(fmt(r.run.initialValidLoss, digits: 3))  (\(fmtPercent(r.run.initialValidLoss / r.lnVocab - 1, digits: 2)) from ln V)
    first training batch's loss          \(fmt(r.run.firstBatchLoss, digits: 3))
    """
}

public func maskingStatisticsTable(_ r: LessonResult) -> Table {
    let a = r.audit, st = a.statistics
    var t = Table(["what", "count", "share", "expected", "tolerance (4 sd)"])
    t.addRow("eligible tokens (not special, not padding)", fmt(st.eligible), "", "", "")
    t.addRow("selected for prediction", fmt(st.selected), fmtPercent(st.selectedShare, digits: 2), "15.00%", "± " + fmtPercent(a.selectedTolerance, digits: 2))
    t.addRow("… replaced by <mask>", fmt(st.masked), fmtPercent(st.maskedShare, digits: 2), "80.00%", "± " + fmtPercent(a.splitTolerance(0.8), digits: 2))
    t.addRow("… replaced by a random word", fmt(st.randomized), fmtPercent(st.randomShare, digits: 2), "10.00%", "± " + fmtPercent(a.splitTolerance(0.1), digits: 2))
    t.addRow("… left as they were", fmt(st.kept), fmtPercent(st.keptShare, digits: 2), "10.00%", "± " + fmtPercent(a.splitTolerance(0.1), digits: 2))
    return t
}

public func maskingChecksText(_ r: LessonResult) -> String {
    let a = r.audit
    return """
    special and padding positions in epoch 1: \(fmt(a.specialOrPadding)), selected: \(a.specialOrPaddingSelected)
    positions whose label disagrees with the masking: \(a.labelMismatches)
    """
}

public func curveTable(_ run: PretrainingRun, every: Int = 500) -> Table {
    var t = Table(["step", "epoch", "learning rate", "train loss", "valid loss", "valid perplexity"])
    for r in run.log where r.step % every == 0 || r.step == run.log.last!.step {
        t.addRow("\(fmt(r.step))", fmt(r.epoch, digits: 1), fmtScientific(Double(r.learningRate)),
                 r.trainLoss.isNaN ? "—" : fmt(r.trainLoss), fmt(r.validLoss), fmt(r.validPerplexity, digits: 2))
    }
    return t
}

public func fillMaskText(_ results: [FillMaskResult]) -> String {
    results.map { f in
        let guesses = f.guesses.map { "\($0.token) \(fmt($0.probability, digits: 3))" }.joined(separator: ", ")
        return "\(f.prompt)\(f.seenForm ? "" : "   (phrasing never seen in training)")\n    \(guesses)"
    }.joined(separator: "\n")
}

public func comparisonTable(_ c: MaskingComparison) -> Table {
    var t = Table(["masking", "final train loss", "final valid loss", "valid perplexity", "best valid loss"])
    for (name, run) in [("dynamic (RoBERTa)", c.dynamic), ("static (BERT)", c.static)] {
        let last = run.log.last!
        t.addRow(name, fmt(last.trainLoss), fmt(last.validLoss), fmt(last.validPerplexity, digits: 2),
                 fmt(run.log.map(\.validLoss).min()!))
    }
    return t
}

public func comparisonSettingsText(_ c: MaskingComparison) -> String {
    "\(c.trainingSentences) training sentences, \(c.settings.numTrainEpochs) epochs of \(c.settings.perDeviceTrainBatchSize) = \(fmt(c.dynamic.log.last!.step)) updates each, same seed, batches and schedule"
}

public func summaryTable(_ r: LessonResult, seconds: Double) -> Table {
    var t = Table(["result", "value"])
    t.addRow("loss at initialisation (ln V = \(fmt(r.lnVocab, digits: 3)))", fmt(r.run.initialValidLoss))
    t.addRow("final train loss", fmt(r.run.log.last!.trainLoss))
    t.addRow("final validation loss", fmt(r.run.finalValidLoss))
    t.addRow("final validation perplexity", fmt(r.run.finalValidPerplexity, digits: 2))
    t.addRow("selected share", fmtPercent(r.audit.statistics.selectedShare, digits: 2))
    t.addRow("dynamic / static validation loss", "\(fmt(r.comparison.dynamic.finalValidLoss)) / \(fmt(r.comparison.static.finalValidLoss))")
    t.addRow("\"the capital of france is <mask> .\"", r.fillMask[0].guesses.first.map { "\($0.token) (\(fmt($0.probability, digits: 3)))" } ?? "")
    t.addRow("wall time", fmtSeconds(seconds))
    return t
}
