// lesson-02-batches-vs-epochs: updates per epoch, and batch GD vs mini-batch vs SGD on one data set.
import ArgumentParser
import BatchesVsEpochs
import Foundation
import MiniTorch
import Workbook

struct BatchesVsEpochsLesson: LessonCommand {
    static let lessonFolder = "02-batches-vs-epochs"
    static let configuration = lessonConfiguration(
        abstract: "Count updates per epoch, then train with the whole set, mini-batches and single samples.")

    @OptionGroup var options: LessonOptions

    @Option(help: "Batch size of the mini-batch run and of the update counts (the data set has 200 samples).")
    var perDeviceTrainBatchSize: Int = 5

    @Option(help: "Epochs each of the three runs trains for.")
    var numTrainEpochs: Int = 100

    @Option(help: "Step size of plain SGD, the same for all three runs.")
    var learningRate: Double = 0.1

    @Option(help: "Whole-set loss the table asks each run to reach.")
    var targetLoss: Double = 0.5

    func validate() throws {
        try inRange(perDeviceTrainBatchSize, 1...200, "--per-device-train-batch-size")
        try inRange(numTrainEpochs, 1...1000, "--num-train-epochs")
        try positive(learningRate, "--learning-rate")
        try positive(targetLoss, "--target-loss")
    }

    func run() throws {
        let out = try outputFolder()
        let batch = perDeviceTrainBatchSize

        // 1. Counting: no training needed, the DataLoader knows how many batches it will give.
        var counts = Table(["samples", "batch size", "last batch", "drop last", "updates / epoch", "epochs", "updates"])
        for (samples, dropLast) in [(200, false), (200, true), (203, false), (203, true)] {
            let c = countUpdates(samples: samples, batchSize: batch, epochs: 1000, dropLast: dropLast)
            counts.addRow(fmt(samples), fmt(batch), fmt(c.lastBatchSize), dropLast ? "yes" : "no",
                          fmt(c.updatesPerEpoch), fmt(c.epochs), fmt(c.totalUpdates))
        }
        try out.cell("updates-per-epoch", counts.render())

        // 2. Each epoch visits every sample once, in a new order.
        let shuffled = countVisits(samples: 200, batchSize: batch, epochs: 3, seed: options.seed)
        let ordered = countVisits(samples: 200, batchSize: batch, epochs: 3, shuffle: false)
        let dropped = countVisits(samples: 203, batchSize: batch, epochs: 3, dropLast: true, seed: options.seed)
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

        // 3. The three runs.
        var config = RunsConfig()
        config.miniBatchSize = batch
        config.numTrainEpochs = numTrainEpochs
        config.learningRate = Float(learningRate)
        config.targetLoss = targetLoss
        config.seed = options.seed
        var bar = ProgressBar(total: totalUpdates(config), label: "3 runs", quiet: options.quiet)
        let curves = compareBatchSizes(config) { bar.update($0) }
        bar.finish()
        if let broken = curves.first(where: { !$0.finalLoss.isFinite }) {
            throw LessonError("the \(broken.name) run's loss became NaN (learning rate \(learningRate)); try a lower --learning-rate")
        }

        for curve in curves {
            let file = "curve-" + curve.name.lowercased().replacingOccurrences(of: " ", with: "-") + ".csv"
            try out.writeCSV(file, header: ["update", "epoch", "samples_seen", "batch_loss", "train_loss"],
                             rows: curve.rows.map { row in
                                 [String(row.update), String(row.epoch), String(row.samplesSeen),
                                  String(row.batchLoss), String(row.trainLoss)]
                             })
        }

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
            learning rate \(fmtMetric(learningRate)), \(numTrainEpochs) epochs each; \
            noise: std of the batch loss's change per update over the second half of each run
            """)
        try out.cell("runs-table", table.render())

        // 4. The large batch with its rate scaled up.
        let scaled = scaledRateRuns(config)
        var scaledTable = Table(["run", "learning rate", "updates to target", "samples to target", "final loss"])
        for (rule, lr, curve) in [("mini-batch (reference)", config.learningRate, curves[1])] + scaled.map({ ($0.rule, $0.learningRate, $0.curve) }) {
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
            let ends = curve.rows.filter { $0.samplesSeen % config.samples == 0 }
            plot.add(curve.name, x: ends.map(\.epoch), y: ends.map(\.trainLoss))
        }
        plot.show(quiet: options.quiet)
    }
}

BatchesVsEpochsLesson.main()
