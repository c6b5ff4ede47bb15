import Foundation
import MiniTorch
import Workbook

/// Writes the chapter's cells and CSVs into `out` and plots the three runs' losses.
public func report(_ result: LessonResult, to out: OutputFolder) throws {
    let config = result.config
    let b = config.perDeviceTrainBatchSize, k = config.gradientAccumulationSteps
    try out.cell("effective-batch",
                 "effective batch = per_device_train_batch_size x gradient_accumulation_steps = \(b) x \(k) = \(config.effectiveBatchSize)")

    // 1. The same gradient.
    let e = result.equalLength
    try out.cell("same-gradient", """
        \(config.effectiveBatchSize) sequences of \(equalSequenceLength) tokens (\(e.tokensPerMicroBatch.map(fmt).joined(separator: " + ")) = \(fmt(e.tokensPerMicroBatch.reduce(0, +))) predicted tokens)
        full batch:   loss \(fmt(e.fullBatchLoss, digits: 6))
        accumulated:  loss \(fmt(e.accumulatedLoss, digits: 6))  (\(e.accumulationSteps) micro-batches of \(e.microBatchSize), each loss / \(e.accumulationSteps))
        max |g_accumulated - g_full| = \(fmtScientific(e.maxAbsDifference)) (largest gradient element \(fmt(e.largestGradient, digits: 4)))
        without the 1/\(e.accumulationSteps): gradient norm x \(fmt(result.unscaledRatio, digits: 3))
        """)

    // 2. Memory.
    var memoryTable = Table(["micro-batch", "accumulation steps", "peak memory", "peak bytes", "vs micro-batch \(config.effectiveBatchSize)"])
    let fullPeak = Double(result.memory[0].peakBytes)
    for row in result.memory {
        memoryTable.addRow(fmt(row.microBatchSize), fmt(row.accumulationSteps), fmtBytes(row.peakBytes),
                           fmt(row.peakBytes), fmt(Double(row.peakBytes) / fullPeak, digits: 3))
    }
    try out.cell("memory-table", memoryTable.render())
    try out.cell("parameter-bytes", """
        parameters:      \(fmt(result.parameterBytes)) bytes (\(fmtBytes(result.parameterBytes))), allocated before, not in the peak
        their gradients: \(fmt(result.parameterBytes)) bytes at every micro-batch size, inside the peak
        """)
    try out.writeCSV("memory.csv", header: ["micro_batch_size", "accumulation_steps", "peak_bytes", "peak_kib", "gradient_kib"],
                     rows: result.memory.map { [String($0.microBatchSize), String($0.accumulationSteps), String($0.peakBytes),
                                                String(Double($0.peakBytes) / 1024), String(Double(result.parameterBytes) / 1024)] })

    // 3. The trap.
    let tokens = result.trapAtInit.dividedBySteps.tokensPerMicroBatch
    try out.cell("trap-tokens",
                 "predicted tokens per micro-batch: \(tokens.map(fmt).joined(separator: ", ")) (total \(fmt(tokens.reduce(0, +))))")
    var trap = Table(["model", "each micro-batch loss", "loss", "max |g - g_full|"])
    for (name, t) in [("at initialisation", result.trapAtInit), ("after training", result.trapTrained)] {
        trap.addRow(name, "full batch (reference)", fmt(t.dividedBySteps.fullBatchLoss, digits: 4), "0")
        trap.addRow("", "divided by steps (mean of means)", fmt(t.dividedBySteps.accumulatedLoss, digits: 4),
                    fmtScientific(t.dividedBySteps.maxAbsDifference))
        trap.addRow("", "weighted by token share", fmt(t.dividedByTokens.accumulatedLoss, digits: 4),
                    fmtScientific(t.dividedByTokens.maxAbsDifference))
    }
    try out.cell("trap-table", trap.render())
    try out.cell("trap-difference", """
        mean of means - per-token mean: \(fmt(result.trapAtInit.lossDifference, digits: 4)) at initialisation, \(fmt(result.trapTrained.lossDifference, digits: 4)) after training
        largest gradient element |g_full|: \(fmt(result.trapAtInit.dividedBySteps.largestGradient, digits: 4)) at initialisation, \(fmt(result.trapTrained.dividedBySteps.largestGradient, digits: 4)) after training
        """)

    // 4. Training.
    let kinds = RunKind.allCases
    let big = result.run(.bigBatch).stepLosses
    try out.writeCSV("losses.csv", header: ["step"] + kinds.map(\.key) + ["gap_accumulated", "gap_naive"],
                     rows: big.indices.map { i in
                         [String(i + 1)] + kinds.map { String(result.run($0).stepLosses[i]) }
                             + [RunKind.accumulated, .naive].map { String(abs(result.run($0).stepLosses[i] - big[i])) }
                     })
    var results = Table(["run", "final loss", "short sequences", "long sequences", "max |curve - big batch|"])
    for kind in kinds {
        let run = result.run(kind)
        results.addRow(kind.rawValue, fmt(run.final.all, digits: 4), fmt(run.final.short, digits: 4),
                       fmt(run.final.long, digits: 4), kind == .bigBatch ? "0" : fmtScientific(result.curveDifference(kind)))
    }
    try out.cell("training-table", results.render())

    var plot = TerminalPlot(title: "per-token loss of each effective batch", xLabel: "optimizer step")
    for kind in kinds { plot.add(kind.rawValue, x: result.run(kind).stepLosses.indices.map { Double($0 + 1) }, y: result.run(kind).stepLosses) }
    plot.show(quiet: out.quiet)
}
