import ArgumentParser
import GradientAccumulation
import MiniTorch
import Workbook

struct GradientAccumulationLesson: LessonCommand {
    static let lessonFolder = "04-gradient-accumulation"
    static let configuration = lessonConfiguration(
        abstract: "Gradient accumulation: the same gradient as a big batch, in less memory, if the loss is normalised by tokens.")

    @OptionGroup var options: LessonOptions

    @Option(help: "Sequences per micro-batch (one forward and backward pass).")
    var perDeviceTrainBatchSize = 8

    @Option(help: "Micro-batches whose gradients add up before each optimizer step.")
    var gradientAccumulationSteps = 4

    @Option(help: "AdamW learning rate of the three training runs.")
    var learningRate = 1e-2

    @Option(help: "Passes over the training corpus.")
    var numTrainEpochs = 5

    var config: TrainingConfig {
        var c = TrainingConfig()
        c.perDeviceTrainBatchSize = perDeviceTrainBatchSize
        c.gradientAccumulationSteps = gradientAccumulationSteps
        c.learningRate = Float(learningRate)
        c.numTrainEpochs = numTrainEpochs
        c.seed = options.seed
        return c
    }

    func validate() throws {
        let corpus = TrainingConfig().datasetSize
        try atLeast(perDeviceTrainBatchSize, 1, "--per-device-train-batch-size")
        try inRange(gradientAccumulationSteps, 1...64, "--gradient-accumulation-steps")
        try check(perDeviceTrainBatchSize * gradientAccumulationSteps <= corpus,
                  "--per-device-train-batch-size x --gradient-accumulation-steps (\(perDeviceTrainBatchSize * gradientAccumulationSteps)) must not exceed the \(corpus) training sequences")
        try positive(learningRate, "--learning-rate")
        try inRange(numTrainEpochs, 1...100, "--num-train-epochs")
    }

    func run() throws {
        let out = try outputFolder()
        let config = config
        let b = config.perDeviceTrainBatchSize, k = config.gradientAccumulationSteps

        try out.cell("effective-batch",
                     "effective batch = per_device_train_batch_size x gradient_accumulation_steps = \(b) x \(k) = \(config.effectiveBatchSize)")

        let steps = totalSteps(config)
        var bar = ProgressBar(total: steps * RunKind.allCases.count, label: "training 3 runs", quiet: options.quiet)
        var done = 0
        let report = runLesson(config) { kind, _, loss in
            done += 1
            bar.update(done, metrics: [kind.key: loss])
        }
        bar.finish()

        // 1. The same gradient.
        let e = report.equalLength
        try out.cell("same-gradient", """
            \(config.effectiveBatchSize) sequences of \(equalSequenceLength) tokens (\(e.tokensPerMicroBatch.map(fmt).joined(separator: " + ")) = \(fmt(e.tokensPerMicroBatch.reduce(0, +))) predicted tokens)
            full batch:   loss \(fmt(e.fullBatchLoss, digits: 6))
            accumulated:  loss \(fmt(e.accumulatedLoss, digits: 6))  (\(e.accumulationSteps) micro-batches of \(e.microBatchSize), each loss / \(e.accumulationSteps))
            max |g_accumulated - g_full| = \(fmtScientific(e.maxAbsDifference)) (largest gradient element \(fmt(e.largestGradient, digits: 4)))
            without the 1/\(e.accumulationSteps): gradient norm x \(fmt(report.unscaledRatio, digits: 3))
            """)

        // 2. Memory.
        var memoryTable = Table(["micro-batch", "accumulation steps", "peak memory", "peak bytes", "vs micro-batch \(config.effectiveBatchSize)"])
        let fullPeak = Double(report.memory[0].peakBytes)
        for row in report.memory {
            memoryTable.addRow(fmt(row.microBatchSize), fmt(row.accumulationSteps), fmtBytes(row.peakBytes),
                               fmt(row.peakBytes), fmt(Double(row.peakBytes) / fullPeak, digits: 3))
        }
        try out.cell("memory-table", memoryTable.render())
        try out.cell("parameter-bytes", """
            parameters:      \(fmt(report.parameterBytes)) bytes (\(fmtBytes(report.parameterBytes))), allocated before, not in the peak
            their gradients: \(fmt(report.parameterBytes)) bytes at every micro-batch size, inside the peak
            """)
        try out.writeCSV("memory.csv", header: ["micro_batch_size", "accumulation_steps", "peak_bytes", "peak_kib", "gradient_kib"],
                         rows: report.memory.map { [String($0.microBatchSize), String($0.accumulationSteps), String($0.peakBytes),
                                                    String(Double($0.peakBytes) / 1024), String(Double(report.parameterBytes) / 1024)] })

        // 3. The trap.
        let tokens = report.trapAtInit.dividedBySteps.tokensPerMicroBatch
        try out.cell("trap-tokens",
                     "predicted tokens per micro-batch: \(tokens.map(fmt).joined(separator: ", ")) (total \(fmt(tokens.reduce(0, +))))")
        var trap = Table(["model", "each micro-batch loss", "loss", "max |g - g_full|"])
        for (name, t) in [("at initialisation", report.trapAtInit), ("after training", report.trapTrained)] {
            trap.addRow(name, "full batch (reference)", fmt(t.dividedBySteps.fullBatchLoss, digits: 4), "0")
            trap.addRow("", "divided by steps (mean of means)", fmt(t.dividedBySteps.accumulatedLoss, digits: 4),
                        fmtScientific(t.dividedBySteps.maxAbsDifference))
            trap.addRow("", "weighted by token share", fmt(t.dividedByTokens.accumulatedLoss, digits: 4),
                        fmtScientific(t.dividedByTokens.maxAbsDifference))
        }
        try out.cell("trap-table", trap.render())
        try out.cell("trap-difference", """
            mean of means - per-token mean: \(fmt(report.trapAtInit.lossDifference, digits: 4)) at initialisation, \(fmt(report.trapTrained.lossDifference, digits: 4)) after training
            largest gradient element |g_full|: \(fmt(report.trapAtInit.dividedBySteps.largestGradient, digits: 4)) at initialisation, \(fmt(report.trapTrained.dividedBySteps.largestGradient, digits: 4)) after training
            """)

        // 4. Training.
        let kinds = RunKind.allCases
        let big = report.run(.bigBatch).stepLosses
        try out.writeCSV("losses.csv", header: ["step"] + kinds.map(\.key) + ["gap_accumulated", "gap_naive"],
                         rows: big.indices.map { i in
                             [String(i + 1)] + kinds.map { String(report.run($0).stepLosses[i]) }
                                 + [RunKind.accumulated, .naive].map { String(abs(report.run($0).stepLosses[i] - big[i])) }
                         })
        var results = Table(["run", "final loss", "short sequences", "long sequences", "max |curve - big batch|"])
        for kind in kinds {
            let run = report.run(kind)
            results.addRow(kind.rawValue, fmt(run.final.all, digits: 4), fmt(run.final.short, digits: 4),
                           fmt(run.final.long, digits: 4), kind == .bigBatch ? "0" : fmtScientific(report.curveDifference(kind)))
        }
        try out.cell("training-table", results.render())

        var plot = TerminalPlot(title: "per-token loss of each effective batch", xLabel: "optimizer step")
        for kind in kinds { plot.add(kind.rawValue, x: report.run(kind).stepLosses.indices.map { Double($0 + 1) }, y: report.run(kind).stepLosses) }
        plot.show(quiet: options.quiet)
    }
}

GradientAccumulationLesson.main()
