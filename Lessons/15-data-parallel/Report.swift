import Foundation
import MiniTorch
import Workbook

/// Writes rank 0's result into `out`: the book's cells (printed too, unless quiet) and the CSV files.
public func report(_ r: LessonResult, to out: OutputFolder) throws {
    let tables: [(String, Table)] = [("equivalence", equivalenceTable(r)), ("sampler", samplerTable(r)), ("trap", trapTable(r)),
                                     ("scaling", scalingTable(r)), ("communication", communicationTable(r)), ("zero", zeroTable(r)),
                                     ("rates", ratesTable(r))]
    for (name, table) in tables { try out.cell(name, table.render()) }
    for (name, table) in rateCSVs(r) { try out.writeCSV(name, table) }
    try out.writeCSV("checks.csv", checksCSV(r))
    try out.writeCSV("scaling.csv", header: ["ranks", "tokens_per_second", "allreduce_time_share", "wait_time_share"],
                     rows: [r.oneRank, r.dataParallel].compactMap { $0 }.map { ["\($0.ranks)", "\($0.tokensPerSecond)", "\($0.communicationShare)", "\($0.waitShare)"] })
    if !out.quiet {   // the cells printed the tables
        print("\(r.worldSize) ranks (Open MPI), lesson 13's GPT; the tokenizer took \(fmt(r.corpusSeconds, digits: 1)) s on each rank")
    }
}

// The tables, CSV files and book cells of the lesson, built from rank 0's result.

func yesNo(_ b: Bool) -> String { b ? "yes" : "no" }

public func equivalenceTable(_ r: LessonResult) -> Table {
    let e = r.equivalence
    var table = Table(["after \(e.steps) steps on \(r.worldSize) ranks", "bit for bit", "largest difference"])
    table.addRow("every rank's weights against rank 0's", yesNo(e.ranksIdentical), e.ranksIdentical ? "0" : "-")
    table.addRow("one process accumulating the \(r.worldSize) micro-batches", yesNo(e.accumulationIdentical), fmtScientific(Double(e.accumulationMaxDifference)))
    table.addRow("the ring all-reduce written out against MPI_Allreduce", yesNo(e.ringIdentical), "")
    table.addRow("ZeRO stage 1 against full AdamW on every rank", yesNo(e.zeroIdentical), "")
    return table
}

public func samplerTable(_ r: LessonResult) -> Table {
    var table = Table(["rank", "indices (10 samples, 3 replicas, shuffle=False)"])
    for (rank, indices) in r.samplerExample.enumerated() { table.addRow("\(rank)", indices.map(String.init).joined(separator: ", ")) }
    return table
}

public func trapTable(_ r: LessonResult) -> Table {
    let t = r.trap
    var table = Table(["global batch", "loss", "gradient error against one process"])
    table.addRow("one process: mean over all \(t.tokensPerRank.reduce(0, +)) tokens", fmt(t.oneProcessLoss, digits: 4), "0")
    table.addRow("mean of the ranks' means (tokens per rank: \(t.tokensPerRank.map(String.init).joined(separator: ", ")))",
                 fmt(t.meanOfMeansLoss, digits: 4), fmtPercent(t.trapGradientError, digits: 2))
    table.addRow("sum over the global token count (average_tokens_across_devices)", fmt(t.oneProcessLoss, digits: 4), fmtScientific(t.fixGradientError))
    return table
}

public func scalingTable(_ r: LessonResult) -> Table {
    var table = Table(["ranks", "tokens per second", "speed-up", "efficiency", "time in all-reduce", "time waiting for the other rank"])
    if let one = r.oneRank { table.addRow("1", fmt(Int(one.tokensPerSecond.rounded())), "1.00", "100%", "0%", "0%") }
    if let many = r.dataParallel, let one = r.oneRank, let eff = r.scalingEfficiency {
        table.addRow("\(r.worldSize)", fmt(Int(many.tokensPerSecond.rounded())), fmt(many.tokensPerSecond / one.tokensPerSecond, digits: 2),
                     fmtPercent(eff, digits: 0), fmtPercent(many.communicationShare, digits: 1), fmtPercent(many.waitShare, digits: 1))
    }
    return table
}

public func communicationTable(_ r: LessonResult) -> Table {
    let e = r.equivalence
    var table = Table(["per step and rank", "bytes", "milliseconds"])
    table.addRow("gradients (float32)", fmt(e.gradientBytes), "")
    table.addRow("ring all-reduce: 2(N-1)/N x gradient bytes", fmt(Int(r.ringFormulaBytes)), "")
    table.addRow("ring all-reduce: bytes sent, counted", fmt(Int(e.ringBytesPerStep)), "")
    table.addRow("MPI_Allreduce of the buckets", "", fmt(e.allReduceSecondsPerStep * 1000, digits: 2))
    table.addRow("ZeRO-1: all-reduce + all-gather of the weights", "", fmt(e.zeroCommunicationSecondsPerStep * 1000, digits: 2))
    return table
}

public func zeroTable(_ r: LessonResult) -> Table {
    let e = r.equivalence
    var table = Table(["AdamW state per rank", "bytes", "share"])
    table.addRow("full (exp_avg + exp_avg_sq of every weight)", fmt(e.fullStateBytes), "100%")
    table.addRow("ZeRO stage 1 (this rank's 1/\(r.worldSize))", fmt(e.zeroStateBytes), fmtPercent(Double(e.zeroStateBytes) / Double(e.fullStateBytes), digits: 1))
    return table
}

public func ratesTable(_ r: LessonResult) -> Table {
    var table = Table(["run", "ranks", "learning rate", "steps", "sequences", "train loss (last 10)", "held-out loss"])
    for run in r.rateRuns {
        table.addRow(run.rule, "\(run.ranks)", fmtScientific(Double(run.learningRate)), fmt(run.steps), fmt(run.sequencesSeen),
                     fmt(run.finalTrainLoss), fmt(run.evalLoss))
    }
    return table
}

/// Each learning-rate run's loss against sequences seen, one file per run (lr-<slug>.csv).
public func rateCSVs(_ r: LessonResult) -> [(String, CSVTable)] {
    r.rateRuns.map { run in
        var table = CSVTable(header: ["step", "sequences_seen", "train_loss"])
        for (i, loss) in run.losses.enumerated() { table.addRow(["\(i + 1)", "\((i + 1) * run.ranks * r.settings.perDeviceTrainBatchSize)", "\(loss)"]) }
        return ("lr-\(run.slug).csv", table)
    }
}

/// The measured quantities one per line (name, value), for the tests and the chapter's checks.
public func checksCSV(_ r: LessonResult) -> CSVTable {
    let e = r.equivalence, t = r.trap
    var rows: [[String]] = [
        ["world_size", "\(r.worldSize)"],
        ["ranks_identical", "\(e.ranksIdentical)"],
        ["accumulation_identical", "\(e.accumulationIdentical)"],
        ["accumulation_max_difference", "\(e.accumulationMaxDifference)"],
        ["ring_identical", "\(e.ringIdentical)"],
        ["zero_identical", "\(e.zeroIdentical)"],
        ["gradient_bytes", "\(e.gradientBytes)"],
        ["ring_formula_bytes", "\(r.ringFormulaBytes)"],
        ["ring_bytes_sent_per_step", "\(e.ringBytesPerStep)"],
        ["full_state_bytes", "\(e.fullStateBytes)"],
        ["zero_state_bytes", "\(e.zeroStateBytes)"],
        ["tokens_per_rank", t.tokensPerRank.map(String.init).joined(separator: " ")],
        ["one_process_loss", "\(t.oneProcessLoss)"],
        ["mean_of_means_loss", "\(t.meanOfMeansLoss)"],
        ["trap_gradient_error", "\(t.trapGradientError)"],
        ["fix_gradient_error", "\(t.fixGradientError)"],
    ]
    for run in r.rateRuns { rows.append(["eval_loss \(run.rule)", "\(run.evalLoss)"]) }
    return CSVTable(header: ["quantity", "value"], rows: rows)
}
