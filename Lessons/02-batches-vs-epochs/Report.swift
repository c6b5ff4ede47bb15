import Foundation
import MiniTorch
import Workbook

/// Writes the counts, the visits, the runs' CSVs and tables into `out`, and plots the runs.
public func report(_ result: LessonResult, to out: OutputFolder) throws {
    let settings = result.settings
    let batch = settings.miniBatchSize
    var counts = Table(["samples", "batch size", "last batch", "drop last", "updates / epoch", "epochs", "updates"])
    for (samples, dropLast, c) in result.counts {
        counts.addRow(fmt(samples), fmt(batch), fmt(c.lastBatchSize), dropLast ? "yes" : "no",
                      fmt(c.updatesPerEpoch), fmt(c.epochs), fmt(c.totalUpdates))
    }
    try out.cell("updates-per-epoch", counts.render())

    // Each epoch visits every sample once, in a new order.
    let (shuffled, ordered, dropped) = (result.shuffled, result.ordered, result.dropped)
    func list(_ xs: [Int]) -> String { "[" + xs.map(String.init).joined(separator: ", ") + "]" }
    var visits = [String]()
    for (epoch, seen) in shuffled.visits.enumerated() {
        visits.append("epoch \(epoch): \(seen.filter { $0 == 1 }.count) of 200 samples seen exactly once, "
                      + "first batch \(list(shuffled.firstBatches[epoch]))")
    }
    visits.append("without shuffling, every epoch starts with \(list(ordered.firstBatches[0])) "
                  + "(same order each epoch: \(Set(ordered.firstBatches.map(list)).count == 1 ? "yes" : "no"))")
    let skipped = dropped.visits.map { seen in seen.indices.filter { seen[$0] == 0 } }
    visits.append("203 samples with drop last: samples left out, epoch by epoch: "
                  + skipped.map(list).joined(separator: ", "))
    try out.cell("visits", visits.joined(separator: "\n"))

    let curves = result.curves
    for curve in curves {
        let file = "curve-" + curve.name.lowercased().replacingOccurrences(of: " ", with: "-") + ".csv"
        try out.writeCSV(file, header: ["update", "epoch", "samples_seen", "batch_loss", "train_loss"],
                         rows: curve.rows.map { row in
                             [String(row.update), String(row.epoch), String(row.samplesSeen),
                              String(row.batchLoss), String(row.trainLoss)]
                         })
    }

    let targetLoss = settings.targetLoss
    var table = Table(["run", "batch size", "updates / epoch", "updates to target", "samples to target",
                       "epochs to target", "final loss", "noise"])
    for curve in curves {
        let hit = curve.firstReaching(targetLoss)
        table.addRow(curve.name, fmt(curve.batchSize), fmt(curve.updatesPerEpoch),
                     hit.map { fmt($0.update) } ?? "not reached", hit.map { fmt($0.samplesSeen) } ?? "not reached",
                     hit.map { fmt($0.epoch, digits: 1) } ?? "not reached", fmt(curve.finalLoss),
                     fmt(curve.noise, digits: 4))
    }
    try out.cell("runs", """
        target: whole-set loss <= \(fmt(targetLoss)) (untrained: \(fmt(curves[0].initialLoss))); \
        learning rate \(fmtMetric(Double(settings.learningRate))), \(settings.numTrainEpochs) epochs each; \
        noise: std of the batch loss's change per update over the second half of each run
        """)
    try out.cell("runs-table", table.render())

    // The large batch with its rate scaled up.
    var scaledTable = Table(["run", "learning rate", "updates to target", "samples to target", "final loss"])
    for (rule, lr, curve) in [("mini-batch (reference)", settings.learningRate, curves[1])] + result.scaled.map({ ($0.rule, $0.learningRate, $0.curve) }) {
        let hit = curve.firstReaching(targetLoss)
        let name = rule.hasPrefix("mini") ? rule : "batch GD, \(rule) scaling"
        scaledTable.addRow(name, fmtMetric(Double(lr)), hit.map { fmt($0.update) } ?? "not reached",
                           hit.map { fmt($0.samplesSeen) } ?? "not reached",
                           curve.finalLoss.isFinite ? fmt(curve.finalLoss) : "diverged")
    }
    try out.cell("scaled-runs", scaledTable.render())

    var plot = TerminalPlot(title: "whole-set loss", xLabel: "epoch", height: 18)
    for curve in curves {
        // One point per epoch is enough for the terminal.
        let ends = curve.rows.filter { $0.samplesSeen % settings.samples == 0 }
        plot.add(curve.name, x: ends.map(\.epoch), y: ends.map(\.trainLoss))
    }
    plot.show(quiet: out.quiet)
}
