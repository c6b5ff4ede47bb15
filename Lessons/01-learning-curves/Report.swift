import Foundation
import MiniTorch
import Workbook

/// Writes the run's CSV and the chapter's cells into `out`, and draws the curves on the terminal.
public func report(_ result: LessonResult, to out: OutputFolder) throws {
    let settings = result.config
    // The 0.3 -> 0.4 example: it needs no training.
    var threshold = Table(["p(class 1)", "BCE loss", "prediction", "accuracy"])
    for row in thresholdExample() {
        threshold.addRow(fmt(Double(row.probability), digits: 2), fmt(row.loss), "\(row.prediction)",
                         fmt(row.accuracy, digits: 0))
    }
    try out.cell("threshold-example", threshold.render())

    try out.writeCSV("metrics.csv", header: ["step", "epoch", "batch_loss", "train_loss", "valid_loss",
                                             "train_accuracy", "valid_accuracy", "perplexity"],
                     rows: result.rows.map { row in
                         [String(row.step), String(row.epoch), row.batchLoss.map { String($0) } ?? "nan",
                          String(row.trainLoss), String(row.validLoss), String(row.trainAccuracy),
                          String(row.validAccuracy), String(row.perplexity)]
                     })

    let classes = settings.classes
    let uniform = initialLossCheck(loss: result.initial.trainLoss, classes: classes).expected
    let initial = result.initial
    try out.cell("data", """
        \(result.trainCount) training and \(result.validCount) validation points in \(classes) classes; \
        batch size \(settings.perDeviceTrainBatchSize): \(result.stepsPerEpoch) steps an epoch, \
        \(result.stepsPerEpoch * settings.numTrainEpochs) steps in \(settings.numTrainEpochs) epochs
        """)
    func offBy(_ loss: Double) -> String {
        let change = initialLossCheck(loss: loss, classes: classes).relativeChange
        return (change >= 0 ? "+" : "") + fmtPercent(change) + " from ln(\(classes))"
    }
    try out.cell("initial-loss", """
        ln(\(classes))                     = \(fmt(uniform, digits: 4))
        untrained train loss      = \(fmt(initial.trainLoss, digits: 4))  (\(offBy(initial.trainLoss)))
        untrained validation loss = \(fmt(initial.validLoss, digits: 4))  (\(offBy(initial.validLoss)))
        PyTorch default init loss = \(fmt(result.defaultInitTrainLoss, digits: 4))  (\(offBy(result.defaultInitTrainLoss)): confidently wrong)
        untrained accuracy        = \(fmtPercent(initial.trainAccuracy)) train, \(fmtPercent(initial.validAccuracy)) validation (chance: \(fmtPercent(1 / Double(classes))))
        """)

    var steps = Table(["curve", "intervals", "loss changed", "loss fell", "accuracy changed",
                       "loss fell, accuracy flat", "distinct accuracies"])
    for (name, s) in [("train", result.trainSteppiness), ("validation", result.validSteppiness)] {
        steps.addRow(name, fmt(s.intervals), fmt(s.lossChanged), fmt(s.lossFell), fmt(s.accuracyChanged),
                     "\(fmt(s.flatWhileLossFell)) (\(fmtPercent(s.flatWhileLossFellShare, digits: 0)))",
                     fmt(s.distinctAccuracies))
    }
    try out.cell("steppiness", steps.render())

    var summary = Table(["step", "epoch", "train loss", "valid loss", "train acc", "valid acc", "perplexity"])
    let every = max(1, result.rows.count / 6)
    for (i, row) in result.rows.enumerated() where i % every == 0 || i == result.rows.count - 1 {
        summary.addRow(fmt(row.step), fmt(row.epoch, digits: 1), fmt(row.trainLoss), fmt(row.validLoss),
                       fmtPercent(row.trainAccuracy), fmtPercent(row.validAccuracy), fmt(row.perplexity))
    }
    try out.cell("summary", summary.render())
    let last = result.final
    try out.cell("perplexity", """
        final validation loss = \(fmt(last.validLoss, digits: 4))
        perplexity = exp(\(fmt(last.validLoss, digits: 4))) = \(fmt(last.perplexity, digits: 4))   (untrained: \(fmt(initial.perplexity, digits: 4)); \(classes) classes)
        """)

    var lossPlot = TerminalPlot(title: "cross-entropy loss", xLabel: "step", height: 16)
    lossPlot.add("train", x: result.rows.map { Double($0.step) }, y: result.rows.map(\.trainLoss))
    lossPlot.add("validation", x: result.rows.map { Double($0.step) }, y: result.rows.map(\.validLoss))
    lossPlot.show(quiet: out.quiet)
    var accuracyPlot = TerminalPlot(title: "accuracy", xLabel: "step", height: 16)
    accuracyPlot.add("train", x: result.rows.map { Double($0.step) }, y: result.rows.map(\.trainAccuracy))
    accuracyPlot.add("validation", x: result.rows.map { Double($0.step) }, y: result.rows.map(\.validAccuracy))
    accuracyPlot.show(quiet: out.quiet)
}
