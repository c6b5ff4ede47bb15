// lesson-07-lora: fine-tune lesson 06's tiny RoBERTa to tell a fact's continent, in full and
// with low-rank adapters (a rank sweep, query/value vs all linear layers); count what each
// trains and stores, merge an adapter, and measure what each forgets of masked language modelling.
import ArgumentParser
import Foundation
import LoRALesson
import MaskedLanguageModeling
import MiniTorch
import Workbook

struct LoRALessonCommand: LessonCommand {
    static let lessonFolder = "07-lora"
    static let configuration = lessonConfiguration(
        abstract: "LoRA on a pretrained tiny RoBERTa: B = 0 at the start, r sweep (alpha = 2r), q/v vs all linear, merge, adapter size, forgetting vs a full fine-tune.")

    @OptionGroup var options: LessonOptions

    @Option(help: "Peak AdamW rate of every LoRA run.")
    var learningRate: Float = FineTuneSettings().loraLearningRate
    @Option(help: "Peak AdamW rates of the full fine-tunes, comma-separated.")
    var fullLearningRates = "1e-4,3e-4"
    @Option(help: "Ranks of the query/value sweep (alpha = 2r), comma-separated.")
    var loraR = "1,2,4,8,16"
    @Option(help: "Ranks of the sweep repeated with alpha fixed and with rsLoRA, comma-separated, or \"none\".")
    var scalingRanks = "1,4,16"
    @Option(help: "The fixed alpha of that sweep (alpha / r, and rsLoRA's alpha / sqrt(r)).")
    var fixedAlpha: Float = LessonSettings().fixedAlpha
    @Option(help: "Passes over the training sentences, every run.")
    var numTrainEpochs = FineTuneSettings().numTrainEpochs
    @Option(help: "Sentences per optimizer step.")
    var perDeviceTrainBatchSize = FineTuneSettings().perDeviceTrainBatchSize
    @Option(help: "Dropout in the encoder and before the head while fine-tuning (Hugging Face's hidden_dropout_prob and attention_probs_dropout_prob).")
    var hiddenDropoutProb = FineTuneSettings().dropout
    @Option(help: "Dropout on the input of every LoRA adapter (PEFT's lora_dropout).")
    var loraDropout = FineTuneSettings().loraDropout
    @Option(help: "Seed of the fine-tunes (new head, adapters, batch order, dropout); default: --seed. The pretrained model stays --seed's.")
    var fineTuneSeed: Int? = nil
    @Option(help: "Folder of lesson 06's pretrained model (pretrained and saved there if missing).")
    var pretrainedDir = PretrainedFiles.defaultFolder

    func numbers<T: LosslessStringConvertible>(_ text: String, _ flag: String) throws -> [T] {
        let values = text.split(separator: ",").map { T(String($0.trimmingCharacters(in: .whitespaces))) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else {
            throw ValidationError("\(flag) must be comma-separated numbers (got \"\(text)\")")
        }
        return values.map { $0! }
    }

    func validate() throws {
        try positive(learningRate, "--learning-rate")
        let rates: [Float] = try numbers(fullLearningRates, "--full-learning-rates")
        try check(rates.allSatisfy { $0 > 0 && $0.isFinite }, "--full-learning-rates must all be positive (got \(fullLearningRates))")
        let ranks: [Int] = try numbers(loraR, "--lora-r")
        try check(ranks.allSatisfy { (1...64).contains($0) }, "--lora-r values must be between 1 and 64 (got \(loraR))")
        try check(ranks.contains(8), "--lora-r must include 8 (the adapter that is merged and saved)")
        try inRange(numTrainEpochs, 1...200, "--num-train-epochs")
        try inRange(perDeviceTrainBatchSize, 1...800, "--per-device-train-batch-size")
        if scalingRanks != "none" {
            let scaling: [Int] = try numbers(scalingRanks, "--scaling-ranks")
            try check(scaling.allSatisfy { (1...64).contains($0) }, "--scaling-ranks values must be between 1 and 64 (got \(scalingRanks))")
        }
        try positive(fixedAlpha, "--fixed-alpha")
        try check(hiddenDropoutProb >= 0 && hiddenDropoutProb < 1, "--hidden-dropout-prob must be at least 0 and below 1 (got \(hiddenDropoutProb))")
        try check(loraDropout >= 0 && loraDropout < 1, "--lora-dropout must be at least 0 and below 1 (got \(loraDropout))")
    }

    func settings() throws -> LessonSettings {
        var s = LessonSettings()
        s.seed = options.seed
        s.fineTune.loraLearningRate = learningRate
        s.fineTune.numTrainEpochs = numTrainEpochs
        s.fineTune.perDeviceTrainBatchSize = perDeviceTrainBatchSize
        s.fineTune.dropout = hiddenDropoutProb
        s.fineTune.loraDropout = loraDropout
        s.fineTuneSeed = fineTuneSeed
        s.fullLearningRates = try numbers(fullLearningRates, "--full-learning-rates")
        s.ranks = try numbers(loraR, "--lora-r")
        s.scalingRanks = scalingRanks == "none" ? [] : try numbers(scalingRanks, "--scaling-ranks")
        s.fixedAlpha = fixedAlpha
        return s
    }

    func run() throws {
        BLAS.setThreads(1)   // small matrices: one thread is fastest and keeps runs reproducible
        let out = try outputFolder()
        let settings = try settings()
        if !options.quiet { print("loading lesson 06's model from \(pretrainedDir) (pretraining it if missing)") }
        let base = try pretrainedBase(seed: settings.seed, folder: pretrainedDir)

        var bar: ProgressBar? = nil
        var current = ""
        let result = try runLesson(settings, base: base, folder: URL(fileURLWithPath: out.path)) { name, step, total in
            if name != current {
                bar?.finish()
                current = name
                bar = ProgressBar(total: total, label: name.padding(toLength: 30, withPad: " ", startingAt: 0), quiet: options.quiet)
            }
            bar?.update(step)
        }
        bar?.finish()

        try out.writeCSV("trace.csv", traceCSV(result))
        try out.writeCSV("sweep.csv", sweepCSV(result))
        try out.cell("task", taskText(result, tokenizer: base.tokenizer))
        try out.cell("zero-init", "max |logits(LoRA, B = 0) - logits(pretrained)| = \(fmt(Double(result.zeroInitDifference), digits: 1))")
        let r8 = result.loraRun(r: settings.mergeRank)
        try out.cell("trainable", "LoRA r=\(settings.mergeRank) on query/value: " + trainableParametersLine(trainable: r8.trainableParameters, all: r8.allParameters))
        try out.cell("runs", runsTable(result).render())
        try out.cell("sweep", sweepTable(result).render())
        try out.cell("scaling", scalingTable(result).render())
        try out.cell("merge", mergeText(result))
        try out.cell("disabled", disabledTable(result).render())
        try out.cell("matched", matchedTable(result).render())

        if !options.quiet {
            print(runsTable(result))
            print(matchedTable(result))
        }
        var plot = TerminalPlot(title: "forgetting vs task accuracy (every evaluation)", xLabel: "validation accuracy", height: 16)
        let shown = [result.loraRun(r: settings.mergeRank).method] + result.lora.filter { $0.method.loraConfig?.targetModules == Method.allLinear }.map(\.method)
        for run in result.runs where run.method == .full || shown.contains(run.method) {
            plot.add(shortName(run), x: run.log.map(\.accuracy), y: run.log.map(\.perplexity))
        }
        plot.show(quiet: options.quiet)
        if !options.quiet { print("wrote \(out.file("trace.csv"))") }
    }
}

LoRALessonCommand.main()
