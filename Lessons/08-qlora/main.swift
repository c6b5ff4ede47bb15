import ArgumentParser
import Foundation
import MiniTorch
import QLoRALesson
import Workbook

/// lesson-08-qlora: a pretrained encoder in 4 bits (NF4, double quantisation), LoRA on top,
/// a paged optimizer, and the memory arithmetic of a 65B model.
struct QLoRACommand: LessonCommand {
    static let lessonFolder = "08-qlora"
    static let configuration = lessonConfiguration(
        abstract: "QLoRA: NF4 and double quantization of a pretrained encoder, LoRA on the 4-bit base, a paged optimizer, 65B in 48 GB.")

    @OptionGroup var options: LessonOptions

    @Option(help: "4-bit code book of the QLoRA run: nf4, fp4 or int4 (bnb_4bit_quant_type).")
    var quantType = "nf4"
    @Flag(inversion: .prefixedNo, help: "Quantize the block constants again (bnb_4bit_use_double_quant).")
    var doubleQuant = true
    @Option(help: "LoRA rank r on every linear layer of the encoder.")
    var loraR = 8
    @Option(help: "LoRA alpha (the update is scaled by alpha / r).")
    var loraAlpha: Float = 16
    @Option(help: "AdamW learning rate of the adapters.")
    var learningRate: Float = 3e-3
    @Option(help: "Passes over the fact task's training examples.")
    var numTrainEpochs = 8
    @Option(help: "Examples per batch.")
    var perDeviceTrainBatchSize = 32
    @Option(help: "Fine-tuning seeds each comparison is repeated with (seed, seed + 1, ...).")
    var fineTuneSeeds = 3
    @Option(help: "Floats per page of the paged optimizer's state.")
    var pageSize = 1024
    @Option(help: "Device memory for the paged optimizer's state, in KiB.")
    var optimizerBudgetKib = 64
    @Option(help: "Folder of lesson 06's pretrained model (pretrained and saved there if missing).")
    var pretrainedDir = defaultPretrainedFolder

    func validate() throws {
        try check(QuantType(rawValue: quantType) != nil, "--quant-type must be nf4, fp4 or int4 (got \(quantType))")
        try inRange(loraR, 1...64, "--lora-r")
        try positive(loraAlpha, "--lora-alpha")
        try positive(learningRate, "--learning-rate")
        try inRange(numTrainEpochs, 1...50, "--num-train-epochs")
        // A batch cannot be larger than lesson 07's training set.
        let trainExamples = QLoRASettings().fineTune.trainExamples
        try inRange(perDeviceTrainBatchSize, 1...trainExamples, "--per-device-train-batch-size")
        try inRange(fineTuneSeeds, 1...10, "--fine-tune-seeds")
        try inRange(pageSize, 16...1_048_576, "--page-size")
        try check(optimizerBudgetKib * 1024 >= 2 * pageSize * 4,
                  "--optimizer-budget-kib must hold at least two pages of --page-size floats (\(2 * pageSize * 4) bytes; got \(optimizerBudgetKib * 1024))")
    }

    var settings: QLoRASettings {
        var s = QLoRASettings()
        s.seed = options.seed
        s.quantType = QuantType(rawValue: quantType)!
        s.doubleQuantization = doubleQuant
        s.loraR = loraR
        s.loraAlpha = loraAlpha
        s.learningRate = learningRate
        s.numTrainEpochs = numTrainEpochs
        s.fineTune.perDeviceTrainBatchSize = perDeviceTrainBatchSize
        s.fineTuneSeeds = fineTuneSeeds
        s.pageSize = pageSize
        s.optimizerBudgetBytes = optimizerBudgetKib * 1024
        return s
    }

    func run() throws {
        BLAS.setThreads(1)
        let out = try outputFolder()
        let s = settings
        if !pretrainedModelExists(in: pretrainedDir) && !options.quiet {
            print("no pretrained model in \(pretrainedDir): pretraining lesson 06's encoder first (once)")
        }
        let base = try loadPretrainedBase(seed: s.seed, folder: pretrainedDir)
        var bar: ProgressBar? = nil
        var stage: Stage? = nil
        let result = runLesson(s, base: base) { current, step, total, loss in
            if current != stage {
                bar?.finish()
                stage = current
                bar = ProgressBar(total: total, label: current.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0), quiet: options.quiet)
            }
            bar?.update(step, metrics: ["loss": loss])
        }
        bar?.finish()

        let c = result.codebooks
        try out.cell("codebooks", codebookTable().render())
        try out.cell("nf4-derived", "Phi^-1 quantiles, normalised: " + normalFloatCodebook().map { fmt(Double($0), digits: 4) }.joined(separator: " "))
        try out.cell("reconstruction", reconstructionTable(c).render())
        try out.cell("weights-shape", "\(fmt(c.weightCount)) encoder weights: std \(fmt(c.weightStd, digits: 4)), excess kurtosis \(fmt(c.weightKurtosis, digits: 2)) (0 for a normal distribution); \(fmt(c.sampleCount)) normal samples")
        try out.cell("bits", footprintTable(result.footprints).render())
        try out.cell("perplexity", perplexityTable(result.perplexities).render())
        try out.cell("adapters", adapterTable(result).render())
        try out.cell("accuracy-gap", "mean validation accuracy over \(s.fineTuneSeeds) seeds: float32 base \(fmtPercent(result.fullPrecisionAccuracy, digits: 1)), 4-bit base \(fmtPercent(result.quantizedAccuracy, digits: 1)); difference \(fmt(100 * result.accuracyGap, digits: 1)) percentage points")
        if let paging = result.quantized[0].paging { try out.cell("paging", pagingText(paging)) }
        try out.cell("arithmetic", result.sixtyFiveB.report())

        try out.writeCSV("codes.csv", codesTable(c))
        try out.writeCSV("accuracy.csv", accuracyTable(result))
        try saveQLoRAFolders(result, base: base, to: URL(fileURLWithPath: out.path))
        let epochs = result.fullPrecision[0].accuracyByEpoch.indices

        if !options.quiet {
            print(reconstructionTable(c).render())
            print(perplexityTable(result.perplexities).render())
            print(adapterTable(result).render())
            print(result.sixtyFiveB.report())
        }
        var plot = TerminalPlot(title: "validation accuracy (mean over seeds)", xLabel: "epoch", height: 14)
        plot.add("float32 base", x: epochs.map(Double.init), y: meanCurve(result.fullPrecision))
        plot.add("\(s.quantType.rawValue) base", x: epochs.map(Double.init), y: meanCurve(result.quantized))
        plot.show(quiet: options.quiet)
    }
}

QLoRACommand.main()
