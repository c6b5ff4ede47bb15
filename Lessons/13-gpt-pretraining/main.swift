// lesson-13-gpt-pretraining: a GPT-2-style decoder pretrained from scratch on Shakespeare with
// lesson 12's BPE, its curves against unigram and bigram floors, samples as it learns, decoding
// settings compared, a causality check, and the model saved as Hugging Face's GPT-2.
import ArgumentParser
import Foundation
import GPTPretraining
import MiniTorch
import Workbook

struct GPTPretrainingLesson: LessonCommand {
    static let lessonFolder = "13-gpt-pretraining"
    static let configuration = lessonConfiguration(
        abstract: "Pretrain a small GPT on Shakespeare: next-token loss, bits per byte, sampling, a KV cache.")

    @OptionGroup var options: LessonOptions

    @Option(help: "Optimizer steps (the cosine schedule ends at the last one).")
    var maxSteps = 1000
    @Option(help: "Peak learning rate of AdamW (linear warm-up, then cosine decay to 0).")
    var learningRate: Float = 2e-3
    @Option(help: "Steps over which the learning rate rises from 0 to its peak.")
    var warmupSteps = 100
    @Option(help: "Sequences of 64 tokens per step.")
    var perDeviceTrainBatchSize = 12
    @Option(help: "AdamW weight decay on the matrices (none on biases and LayerNorms).")
    var weightDecay: Float = 0.1
    @Option(help: "Measure the held-out loss every this many steps.")
    var evalSteps = 100
    @Option(help: "Dropout of GPT-2's embeddings, attention and residual branches.")
    var dropout: Float = 0
    @Option(help: "Text the samples continue.")
    var prompt = "Romeo.\n"
    @Option(help: "OpenBLAS and loop threads: 2 uses both cores of a laptop (faster than 1; the numbers agree to about six digits).")
    var threads = 2

    func validate() throws {
        try inRange(maxSteps, 1...1_000_000, "--max-steps")
        try positive(learningRate, "--learning-rate")
        try inRange(warmupSteps, 0...maxSteps, "--warmup-steps")
        try inRange(perDeviceTrainBatchSize, 1...512, "--per-device-train-batch-size")
        try inRange(weightDecay, 0...1, "--weight-decay")
        try inRange(evalSteps, 1...1_000_000, "--eval-steps")
        try check(dropout >= 0 && dropout < 1, "--dropout must be in [0, 1) (got \(dropout))")
        try check(!prompt.isEmpty, "--prompt must not be empty")
        try inRange(threads, 1...2, "--threads")
    }

    func run() throws {
        BLAS.setThreads(threads)
        let out = try outputFolder()
        var s = Settings()
        s.maxSteps = maxSteps
        s.learningRate = learningRate
        s.warmupSteps = warmupSteps
        s.perDeviceTrainBatchSize = perDeviceTrainBatchSize
        s.weightDecay = weightDecay
        s.evalSteps = evalSteps
        s.dropout = dropout
        s.prompt = prompt
        s.seed = options.seed

        var bar = ProgressBar(total: lessonParts(s), label: "steps", quiet: options.quiet)
        let r = try runLesson(s, saveTo: URL(fileURLWithPath: out.file("model"))) { bar.update($0) }
        bar.finish()
        if let bad = r.run.curve.first(where: { !$0.trainLoss.isFinite || !$0.evalLoss.isFinite }) {
            throw LessonError("the loss became NaN by step \(bad.step) (learning rate \(learningRate)); try a lower --learning-rate")
        }

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
        // MiniTorch's greedy continuation of the prompt, for `make interop-gpt2` to compare.
        let prompt = r.corpus.tokenizer.encode(s.prompt)
        let greedy = r.run.model.generate(prompt, config: GenerationConfig(maxNewTokens: s.nPositions - prompt.count, eosTokenId: r.corpus.endOfText))
        try out.writeText("greedy.json", "{\"prompt\": \(prompt), \"tokens\": \(Array(greedy.dropFirst(prompt.count)))}\n")
        try out.cell("overfit", "one batch of 4 x \(s.nPositions) tokens, \(s.overfitSteps) steps: loss \(fmt(r.overfit.losses[0])) -> \(fmt(r.overfit.losses.last!))")

        var plot = TerminalPlot(title: "held-out bits per byte", xLabel: "tokens seen")
        plot.add("model", x: r.run.curve.map { Double($0.tokensSeen) }, y: r.run.curve.map(\.evalBitsPerByte))
        plot.add("bigram", x: r.run.curve.map { Double($0.tokensSeen) }, y: r.run.curve.map { _ in r.bitsPerByte(r.floors.bigramNats) })
        plot.show(quiet: options.quiet)
        if !options.quiet { print("model saved to \(out.file("model")) (config.json, model.safetensors, tokenizer.json)") }
    }
}

GPTPretrainingLesson.main()
