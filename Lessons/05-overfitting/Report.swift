import MiniTorch
import Workbook

// The lesson's printed outputs: a CSV of every epoch, the results table, and short texts the
// chapter includes. The numbers in them are the ones the tests check.

/// Writes the curves and landmarks as CSVs and the chapter's cells, and plots the overfit run.
public func report(_ result: LessonResult, to out: OutputFolder) throws {
    try out.writeCSV("metrics.csv", metricsTable(result))
    try out.writeCSV("landmarks.csv", landmarksTable(result))
    try out.cell("settings", settingsText(result.settings))
    try out.cell("runs", runsTable(result).render())
    try out.cell("early-stopping", earlyStoppingText(result))
    try out.cell("gap", gapText(result))

    var plot = TerminalPlot(title: "overfit run: cross-entropy loss", xLabel: "epoch", height: 18)
    let epochs = result.overfit.history.map { Double($0.epoch) }
    plot.add("train", x: epochs, y: result.overfit.trainLosses)
    plot.add("validation", x: epochs, y: result.overfit.validLosses)
    plot.show(quiet: out.quiet)
    if !out.quiet { print("wrote \(out.file("metrics.csv"))") }
}

/// One row per (run, epoch), the four canonical runs and then the regularized comparison.
public func metricsTable(_ result: LessonResult) -> CSVTable {
    var table = CSVTable(header: ["run", "epoch", "train_loss", "valid_loss", "train_accuracy", "valid_accuracy"])
    for run in result.runs.map(\.run) + [result.regularized] {
        for m in run.history {
            table.addRow([run.config.name, String(m.epoch), fmt(m.trainLoss, digits: 5), fmt(m.validLoss, digits: 5),
                          fmt(m.trainAccuracy, digits: 3), fmt(m.validAccuracy, digits: 3)])
        }
    }
    return table
}

/// One row per run: its best epoch and, for the early-stopped run, where it stopped (0 = never).
/// The figure marks these.
public func landmarksTable(_ result: LessonResult) -> CSVTable {
    var table = CSVTable(header: ["run", "best_epoch", "best_valid_loss", "stopped_epoch"])
    for run in result.runs.map(\.run) {
        table.addRow([run.config.name, String(run.bestEpoch), fmt(run.best.validLoss, digits: 5),
                      String(run.stoppedEpoch ?? 0)])
    }
    return table
}

/// How each run differs from the overfit baseline.
public func describe(_ config: RunConfig) -> String {
    var parts = ["lr \(fmtScientific(Double(config.learningRate), digits: 0))", "batch \(config.perDeviceTrainBatchSize)"]
    if config.dropout > 0 { parts.append("dropout \(fmt(Double(config.dropout), digits: 1))") }
    if config.weightDecay > 0 { parts.append("wd \(fmt(Double(config.weightDecay), digits: 1))") }
    if let patience = config.earlyStoppingPatience { parts.append("patience \(patience)") }
    return parts.joined(separator: ", ")
}

/// The results table: each run's setting, its curves' landmarks and `diagnose`'s verdict.
public func runsTable(_ result: LessonResult) -> Table {
    var table = Table(["run", "setting", "epochs", "best epoch", "train loss", "valid loss", "gap", "diagnose", "its reason"])
    for diagnosed in result.runs {
        let run = diagnosed.run
        table.addRow(run.config.name, describe(run.config), String(run.history.count - 1), String(run.bestEpoch),
                     fmt(run.finalTrainLoss), fmt(run.finalValidLoss), fmt(run.finalGap),
                     diagnosed.diagnosis.kind.rawValue, diagnosed.diagnosis.reason)
    }
    return table
}

public func settingsText(_ s: Settings) -> String {
    """
    data: 200 training + 200 validation points on two spirals, 20% of labels flipped (seed \(s.seed))
    model: MLP 2-\(s.hiddenSize)-\(s.hiddenSize)-2 (ReLU), AdamW, \(s.numTrainEpochs) epochs at most
    """
}

public func earlyStoppingText(_ result: LessonResult) -> String {
    let run = result.wellFit
    let patience = run.config.earlyStoppingPatience ?? 0
    return """
    best validation loss: \(fmt(run.best.validLoss, digits: 4)) at epoch \(run.bestEpoch)
    no improvement for \(patience) epochs: stopped after epoch \(run.stoppedEpoch.map(String.init) ?? "-") of \(run.config.numTrainEpochs)
    restored the weights of epoch \(run.bestEpoch): validation loss \(fmt(run.finalValidLoss, digits: 4))
    """
}

public func gapText(_ result: LessonResult) -> String {
    let over = result.overfit, reg = result.regularized, well = result.wellFit
    return """
    final gap (validation loss - training loss), all \(over.config.numTrainEpochs) epochs:
      overfit (no dropout, no weight decay)  \(fmt(over.finalGap))   (train \(fmt(over.finalTrainLoss)), validation \(fmt(over.finalValidLoss)))
      dropout \(fmt(Double(reg.config.dropout), digits: 1)) + weight decay \(fmt(Double(reg.config.weightDecay), digits: 1))        \(fmt(reg.finalGap))   (train \(fmt(reg.finalTrainLoss)), validation \(fmt(reg.finalValidLoss)))
      narrower by                            \(fmt(result.gapNarrowing))
    well-fit (the same + early stopping)     \(fmt(well.finalGap))   (train \(fmt(well.finalTrainLoss)), validation \(fmt(well.finalValidLoss)))
    """
}
