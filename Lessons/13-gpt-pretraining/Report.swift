import Foundation
import MiniTorch
import Workbook

/// Writes the curves, the cells and MiniTorch's greedy continuation (for `make interop-gpt2`) into
/// `out`, and plots the held-out bits per byte.
public func report(_ r: LessonResult, to out: OutputFolder) throws {
    let s = r.settings
    try out.writeCSV("curves.csv", curveCSV(r))
    try out.writeCSV("overfit.csv", overfitCSV(r))
    try out.cell("corpus", corpusTable(r).render())
    try out.cell("start", startTable(r).render())
    try out.cell("curve", curveTable(r).render())
    try out.cell("final", finalTable(r).render())
    try out.cell("samples", samplesText(r))
    try out.cell("sampling", samplingTable(r).render())
    try out.cell("sampling-examples", samplingExamples(r))
    try out.cell("causality", causalityText(r))
    try out.cell("scale", scaleTable(r).render())
    let prompt = r.corpus.tokenizer.encode(s.prompt)
    let greedy = r.run.model.generate(prompt, config: GenerationConfig(maxNewTokens: s.nPositions - prompt.count, eosTokenId: r.corpus.endOfText))
    try out.writeText("greedy.json", "{\"prompt\": \(prompt), \"tokens\": \(Array(greedy.dropFirst(prompt.count)))}\n")
    try out.cell("overfit", "one batch of 4 x \(s.nPositions) tokens, \(s.overfitSteps) steps: loss \(fmt(r.overfit.losses[0])) -> \(fmt(r.overfit.losses.last!))")

    var plot = TerminalPlot(title: "held-out bits per byte", xLabel: "tokens seen")
    plot.add("model", x: r.run.curve.map { Double($0.tokensSeen) }, y: r.run.curve.map(\.evalBitsPerByte))
    plot.add("bigram", x: r.run.curve.map { Double($0.tokensSeen) }, y: r.run.curve.map { _ in r.bitsPerByte(r.floors.bigramNats) })
    plot.show(quiet: out.quiet)
    if let saved = r.savedTo, !out.quiet { print("model saved to \(saved.path) (config.json, model.safetensors, tokenizer.json)") }
}

// The tables, CSV files and book cells of the lesson, built from its results.

public func curveCSV(_ r: LessonResult) -> CSVTable {
    var table = CSVTable(header: ["step", "tokens_seen", "learning_rate", "train_loss", "eval_loss", "train_bits_per_byte",
                                  "eval_bits_per_byte", "unigram_bits_per_byte", "bigram_bits_per_byte"])
    for p in r.run.curve {
        table.addRow(["\(p.step)", "\(p.tokensSeen)", "\(p.learningRate)", "\(p.trainLoss)", "\(p.evalLoss)", "\(p.trainBitsPerByte)",
                      "\(p.evalBitsPerByte)", "\(r.bitsPerByte(r.floors.unigramNats))", "\(r.bitsPerByte(r.floors.bigramNats))"])
    }
    return table
}

public func overfitCSV(_ r: LessonResult) -> CSVTable {
    CSVTable(header: ["step", "loss"], rows: r.overfit.losses.enumerated().map { ["\($0.offset + 1)", "\($0.element)"] })
}

public func corpusTable(_ r: LessonResult) -> Table {
    var table = Table(["split", "works", "bytes", "tokens", "bytes per token"])
    let c = r.corpus
    table.addRow("train", "\(ShakespeareCorpus.workCount - 4)", fmt(c.trainBytes), fmt(c.train.count), fmt(Double(c.trainBytes) / Double(c.train.count), digits: 2))
    table.addRow("held out", ShakespeareCorpus.validationWorks.joined(separator: ", "), fmt(c.validationBytes), fmt(c.validation.count),
                 fmt(r.validationBytesPerToken, digits: 2))
    return table
}

public func startTable(_ r: LessonResult) -> Table {
    var table = Table(["quantity", "nats per token", "bits per byte"])
    table.addRow("ln V (uniform guess over \(fmt(r.settings.vocabSize)) tokens)", fmt(r.lnVocab), fmt(r.bitsPerByte(r.lnVocab)))
    table.addRow("loss of the untrained model, first batch", fmt(r.run.initialLoss), fmt(r.bitsPerByte(r.run.initialLoss)))
    table.addRow("unigram model (floor)", fmt(r.floors.unigramNats), fmt(r.bitsPerByte(r.floors.unigramNats)))
    table.addRow("bigram model (floor)", fmt(r.floors.bigramNats), fmt(r.bitsPerByte(r.floors.bigramNats)))
    return table
}

public func curveTable(_ r: LessonResult) -> Table {
    var table = Table(["step", "tokens seen", "learning rate", "train loss", "held-out loss", "held-out bits per byte"])
    for p in r.run.curve {
        table.addRow("\(p.step)", fmt(p.tokensSeen), fmtScientific(Double(p.learningRate)), fmt(p.trainLoss), fmt(p.evalLoss), fmt(p.evalBitsPerByte))
    }
    return table
}

public func finalTable(_ r: LessonResult) -> Table {
    var table = Table(["measure", "value"])
    let context = r.settings.nPositions
    let everyWindow = (r.corpus.validation.count - 1) / context * context   // the targets of every window
    let scored = r.run.finalEvalTokens < everyWindow
        ? "the first \(fmt(r.run.finalEvalTokens)) of \(fmt(r.corpus.validation.count)) held-out tokens"
        : "all \(fmt(r.corpus.validation.count)) held-out tokens"
    table.addRow("held-out loss, \(scored)", "\(fmt(r.run.finalEvalLoss)) nats per token")
    table.addRow("held-out bits per byte", fmt(r.run.finalBitsPerByte))
    table.addRow("bigram floor, bits per byte", fmt(r.bitsPerByte(r.floors.bigramNats)))
    table.addRow("training time", fmtSeconds(r.run.trainingSeconds))
    table.addRow("median step", "\(fmt(r.run.stepMilliseconds, digits: 1)) ms")
    return table
}

public func samplesText(_ r: LessonResult) -> String {
    r.run.samples.map { "--- step \($0.step) ---\n\(r.settings.prompt)\($0.text)" }.joined(separator: "\n\n")
}

public func samplingTable(_ r: LessonResult) -> Table {
    var table = Table(["decoding", "distinct-1", "distinct-2", "repeated 4-grams"])
    for row in r.sampling {
        table.addRow(row.name, fmt(row.distinct1, digits: 2), fmt(row.distinct2, digits: 2), fmtPercent(row.repetitionRate))
    }
    return table
}

public func samplingExamples(_ r: LessonResult) -> String {
    r.sampling.map { "--- \($0.name) ---\n\(r.settings.prompt)\($0.example)" }.joined(separator: "\n\n")
}

public func causalityText(_ r: LessonResult) -> String {
    let c = r.causality
    return "changed the token at position \(c.changedPosition) of \(r.settings.nPositions)\n"
        + "largest logit change at positions 0-\(c.changedPosition - 1): \(c.largestChangeBefore)\n"
        + "largest logit change at positions \(c.changedPosition)-\(r.settings.nPositions - 1): \(fmt(Double(c.largestChangeAfter)))"
}

public func scaleTable(_ r: LessonResult) -> Table {
    let s = r.scale
    let tokensSeen = Double(r.settings.maxSteps * r.settings.tokensPerStep)
    var table = Table(["", "this model", "GPT-2 small"])
    table.addRow("parameters", fmt(s.parameters), fmt(ScaleFigures.gpt2SmallParameters))
    table.addRow("training FLOPs per token (about 6N)", fmtMetric(s.flopsPerToken), fmtMetric(6 * Double(ScaleFigures.gpt2SmallParameters)))
    table.addRow("tokens per parameter in this run", fmt(tokensSeen / Double(s.parameters), digits: 2), "-")
    table.addRow("training rate on this machine", "\(fmtMetric(s.flopsPerSecond)) FLOP/s", "-")
    table.addRow("512 x 512 matrix product on this machine", "\(fmtMetric(s.matmulFlopsPerSecond)) FLOP/s", "-")
    table.addRow("share of the matrix-product rate", fmtPercent(s.utilisation), "-")
    return table
}
