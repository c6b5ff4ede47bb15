import Foundation
import MiniTorch
import Workbook

/// Writes the loss curves and the book's cells into `out` (each cell is printed too, unless quiet).
public func report(_ r: LessonResult, to out: OutputFolder) throws {
    if r.base.pretrainedNow && !out.quiet {
        print("lesson 13's model was not in \(r.base.folder.relativePath): pretrained it and saved it there")
    }
    try out.writeCSV("loss.csv", lossCSV(r))
    try out.writeCSV("results.csv", resultsCSV(r))
    try out.cell("data", dataTable(r).render())
    try out.cell("template", templateText(r))
    try out.cell("accuracy", accuracyTable(r).render())
    try out.cell("cost", costTable(r).render())
    try out.cell("answers", answersText(r))
    try out.cell("checkpointing", checkpointingTable(r).render())
    var peaks = CSVTable(header: ["method", "gradient_checkpointing", "peak_bytes"])
    for row in r.checkpointing { peaks.addRow([row.method.rawValue, row.gradientCheckpointing ? "on" : "off", "\(row.peakTrainingBytes)"]) }
    try out.writeCSV("checkpointing.csv", peaks)
    if let p = r.packing {
        try out.cell("packing", packingTable(p).render())
        try out.writeCSV("packing.csv", packingCSV(p))
    }
}

// The tables, CSV files and book cells of the lesson, built from its results.

func methodName(_ r: MethodResult) -> String {
    let f = r.run.settings
    let name = switch f.method {
    case .full: "full fine-tune"
    case .lora: "LoRA r=\(f.loraR) alpha=\(fmt(Double(f.loraAlpha), digits: 0))"
    case .qlora: "QLoRA r=\(f.loraR) alpha=\(fmt(Double(f.loraAlpha), digits: 0))"
    }
    return name + (f.withoutHead ? ", without lm_head" : "") + (f.trainOnPrompt ? ", loss on every token" : "") + (f.packing ? ", packed" : "")
}

/// Held-out exact match per task, for the base model (the floor) and each method.
public func accuracyTable(_ r: LessonResult) -> Table {
    var table = Table(["model"] + r.settings.tasks.map(\.rawValue) + ["all", "stopped at <|im_end|>", "held-out bits per byte"])
    func row(_ name: String, _ m: ExactMatch, _ bpb: Double) {
        table.addRow([name] + r.settings.tasks.map { fmtPercent(m.accuracy($0)) }
                     + [fmtPercent(m.overall), "\(m.stopped) / \(m.answers.count)", fmt(bpb)])
    }
    row("base (lesson 13)", r.baseValidation, r.baseBitsPerByte)
    let floor = commonestAnswer(r.instructions)
    table.addRow(["commonest training answer"] + r.settings.tasks.map { fmtPercent(floor.accuracy($0)) } + [fmtPercent(floor.overall), "", ""])
    for m in r.methods + r.comparisons { row(methodName(m), m.validation, m.bitsPerByte) }
    return table
}

/// What each method trains and costs: the memory ledger's figures and the step time.
public func costTable(_ r: LessonResult) -> Table {
    var table = Table(["method", "trainable params", "model in memory", "base bits per weight", "optimizer state", "peak during training", "step", "tokens/s", "real tokens"])
    for m in r.methods + r.comparisons {
        let run = m.run
        table.addRow(methodName(m), "\(fmt(run.trainableParameters)) (\(fmtPercent(Double(run.trainableParameters) / Double(run.allParameters), digits: 2)))",
                     fmtBytes(run.modelBytes), run.baseBitsPerParameter.map { fmt($0, digits: 3) } ?? "32",
                     fmtBytes(run.optimizerStateBytes), fmtBytes(run.peakTrainingBytes),
                     "\(fmt(run.stepMilliseconds, digits: 1)) ms", fmt(Int(run.tokensPerSecond)), fmtPercent(run.realTokenShare))
    }
    return table
}

/// The first held-out instruction of each task, answered by the base and by each method.
public func answersText(_ r: LessonResult) -> String {
    var lines: [String] = []
    for task in r.settings.tasks {
        guard let i = r.instructions.validation.firstIndex(where: { $0.task == task }) else { continue }
        let item = r.instructions.validation[i]
        lines.append("instruction: " + item.input.replacingOccurrences(of: "\n", with: " / "))
        lines.append("  expected:  \(item.output)")
        lines.append("  base:      \(show(r.baseValidation.answers[i]))")
        for m in r.methods + r.comparisons {
            lines.append("  \(methodName(m)): \(show(m.validation.answers[i]))")
        }
        lines.append("")
    }
    return lines.joined(separator: "\n")
}

private func show(_ s: String) -> String {
    let flat = s.replacingOccurrences(of: "\n", with: "\\n")
    return flat.count > 70 ? String(flat.prefix(70)) + "..." : flat
}

/// The template's tokens for one example, each with its label (-100: no loss).
public func templateText(_ r: LessonResult) -> String {
    let t = r.base.template.tokenizer
    var lines = ["position  token              label"]
    for (i, (id, label)) in zip(r.example.inputIds, r.example.labels).enumerated() {
        let piece = String(decoding: (try? t.decodeBytes([id])) ?? [], as: UTF8.self).replacingOccurrences(of: "\n", with: "\\n")
        lines.append(String(format: "%8d  %-18@ %@", i, "\"\(piece)\"" as NSString, (label == ChatTemplate.ignoreIndex ? "-100" : "\(label)") as NSString))
    }
    return lines.joined(separator: "\n")
}

/// Instructions per task and split.
public func dataTable(_ r: LessonResult) -> Table {
    var table = Table(["task", "train", "validation", "test", "held out by"])
    for task in r.settings.tasks {
        func n(_ set: [Instruction]) -> String { fmt(set.filter { $0.task == task }.count) }
        table.addRow(task.rawValue, n(r.instructions.train), n(r.instructions.validation), n(r.instructions.test),
                     task.isSkill ? "whole works" : "passages of \(InstructionSet.passageLength) speeches")
    }
    return table
}

/// Training loss per step of every run, for the figure.
public func lossCSV(_ r: LessonResult) -> CSVTable {
    let runs = r.methods + r.comparisons
    var table = CSVTable(header: ["step"] + runs.map { run in
        let f = run.run.settings
        return f.method.rawValue + (f.withoutHead ? " without lm_head" : "")
            + (f.trainOnPrompt ? " every token" : "") + (f.packing ? " packed" : "")
    })
    for step in 0..<r.settings.maxSteps {
        table.addRow(["\(step + 1)"] + runs.map { "\($0.run.trainLosses[step])" })
    }
    return table
}

/// Gradient checkpointing's trade per method: peak memory against step time.
public func checkpointingTable(_ r: LessonResult) -> Table {
    var table = Table(["method", "gradient checkpointing", "peak during training", "step"])
    for row in r.checkpointing {
        table.addRow(row.method.rawValue, row.gradientCheckpointing ? "on" : "off", fmtBytes(row.peakTrainingBytes),
                     "\(fmt(row.stepMilliseconds, digits: 1)) ms")
    }
    return table
}

/// Every model's held-out figures in one file (accuracies as fractions), for the tests that read
/// the book's run (`BookRunTests`).
public func resultsCSV(_ r: LessonResult) -> CSVTable {
    let tasks = r.settings.tasks.map(\.rawValue)
    var table = CSVTable(header: ["model"] + tasks + ["all", "stopped", "answers", "bits_per_byte", "step_ms", "tokens_per_second", "real_token_share", "base_bits_per_weight", "trainable", "model_bytes", "optimizer_state_bytes"])
    func row(_ name: String, _ m: ExactMatch, _ bpb: Double, _ run: FineTuneRun?) {
        let accuracies: [String] = r.settings.tasks.map { "\(m.accuracy($0))" } + ["\(m.overall)"]
        let answers: [String] = ["\(m.stopped)", "\(m.answers.count)", "\(bpb)"]
        var cost: [String] = Array(repeating: "", count: 7)
        if let run {
            cost = ["\(run.stepMilliseconds)", "\(run.tokensPerSecond)", "\(run.realTokenShare)",
                    run.baseBitsPerParameter.map { "\($0)" } ?? "", "\(run.trainableParameters)", "\(run.modelBytes)",
                    "\(run.optimizerStateBytes)"]
        }
        table.addRow([name] + accuracies + answers + cost)
    }
    row("base", r.baseValidation, r.baseBitsPerByte, nil)
    let floor = commonestAnswer(r.instructions)
    row("commonest answer", floor, .nan, nil)
    for m in r.methods + r.comparisons { row(methodName(m), m.validation, m.bitsPerByte, m.run) }
    return table
}

/// Padding against packing on the same first steps of the full fine-tune.
public func packingTable(_ p: (padded: FineTuneRun, packed: FineTuneRun)) -> Table {
    var table = Table(["batches", "positions per step", "real tokens", "step", "tokens/s", "mean loss"])
    for (name, run) in [("padded", p.padded), ("packed", p.packed)] {
        table.addRow(name, fmt(run.positionsPerStep, digits: 0), fmtPercent(run.realTokenShare), "\(fmt(run.stepMilliseconds, digits: 1)) ms",
                     fmt(Int(run.tokensPerSecond)), fmt(run.trainLosses.reduce(0, +) / Double(run.trainLosses.count), digits: 4))
    }
    return table
}

/// The packing table's figures, for the tests that read the book's run.
public func packingCSV(_ p: (padded: FineTuneRun, packed: FineTuneRun)) -> CSVTable {
    var table = CSVTable(header: ["batches", "positions_per_step", "real_token_share", "step_ms", "tokens_per_second", "mean_loss"])
    for (name, run) in [("padded", p.padded), ("packed", p.packed)] {
        table.addRow([name, "\(run.positionsPerStep)", "\(run.realTokenShare)", "\(run.stepMilliseconds)", "\(run.tokensPerSecond)",
                      "\(run.trainLosses.reduce(0, +) / Double(run.trainLosses.count))"])
    }
    return table
}
