import ArgumentParser
import Foundation
import MaskedLanguageModeling
import MiniTorch
import Workbook

/// lesson-06-masked-language-modeling: pretrain a tiny RoBERTa with masked language modelling,
/// check its masking, compare dynamic with static masks, and fill in some blanks.
struct MaskedLanguageModelingLesson: LessonCommand {
    static let lessonFolder = "06-masked-language-modeling"
    static let configuration = lessonConfiguration(
        abstract: "Pretrain a tiny RoBERTa with dynamic 15% masking (80/10/10); perplexity, dynamic vs static masking, fill-mask.")

    @OptionGroup var options: LessonOptions

    @Option(help: "Peak learning rate of AdamW (linear warmup, then linear decay to 0).")
    var learningRate: Float = PretrainingSettings().learningRate
    @Option(help: "Sentences per batch.")
    var perDeviceTrainBatchSize = PretrainingSettings().perDeviceTrainBatchSize
    @Option(help: "Passes over the 3,600 training sentences.")
    var numTrainEpochs = PretrainingSettings().numTrainEpochs
    @Option(help: "Stop after this many updates instead of --num-train-epochs.")
    var maxSteps: Int?
    @Option(help: "Updates over which the learning rate rises from 0 to its peak.")
    var warmupSteps = PretrainingSettings().warmupSteps
    @Option(help: "AdamW weight decay (not on biases and LayerNorm weights).")
    var weightDecay: Float = PretrainingSettings().weightDecay
    @Option(help: "AdamW's beta2 (RoBERTa 0.98, BERT 0.999).")
    var adamBeta2: Float = PretrainingSettings().adamBeta2
    @Option(help: "Share of the (non-special, non-padding) tokens selected for prediction.")
    var mlmProbability = PretrainingSettings().mlmProbability
    @Option(help: "Measure the validation loss every this many updates (a row of metrics.csv).")
    var evalSteps = PretrainingSettings().evalSteps
    @Option(help: "Epochs of the dynamic-vs-static masking comparison on 400 sentences.")
    var comparisonEpochs = 30
    @Option(help: "Save a checkpoint-<step> folder in --out every this many updates and at the last one (default: none).")
    var saveSteps: Int?
    @Option(help: "Keep only the newest this many checkpoint folders, deleting older ones (default: keep all).")
    var saveTotalLimit: Int?
    @Option(help: ArgumentHelp("Continue the pretraining from a checkpoint folder, or from the newest one in --out with 'latest'; same flags as the run that saved it.",
                               valueName: "folder|latest"))
    var resumeFromCheckpoint: String?

    func validate() throws {
        try positive(learningRate, "--learning-rate")
        try inRange(perDeviceTrainBatchSize, 1...3600, "--per-device-train-batch-size")
        try inRange(numTrainEpochs, 1...1000, "--num-train-epochs")
        if let maxSteps { try inRange(maxSteps, 1...1_000_000, "--max-steps") }
        try atLeast(warmupSteps, 0, "--warmup-steps")
        try inRange(weightDecay, 0...1, "--weight-decay")
        try check(adamBeta2 >= 0 && adamBeta2 < 1, "--adam-beta2 must be at least 0 and below 1 (got \(adamBeta2))")
        try check(mlmProbability > 0 && mlmProbability < 1, "--mlm-probability must be above 0 and below 1 (got \(mlmProbability))")
        try inRange(evalSteps, 1...1_000_000, "--eval-steps")
        try inRange(comparisonEpochs, 1...1000, "--comparison-epochs")
        if let saveSteps { try atLeast(saveSteps, 1, "--save-steps") }
        if let saveTotalLimit {
            try atLeast(saveTotalLimit, 1, "--save-total-limit")
            try check(saveSteps != nil, "--save-total-limit needs --save-steps (without it no checkpoint is saved)")
        }
        if let resumeFromCheckpoint {
            try check(!resumeFromCheckpoint.isEmpty, "--resume-from-checkpoint must name a checkpoint folder or latest (got an empty string)")
        }
    }

    var settings: PretrainingSettings {
        var s = PretrainingSettings()
        s.learningRate = learningRate
        s.perDeviceTrainBatchSize = perDeviceTrainBatchSize
        s.numTrainEpochs = numTrainEpochs
        s.maxSteps = maxSteps
        s.warmupSteps = warmupSteps
        s.weightDecay = weightDecay
        s.adamBeta2 = adamBeta2
        s.mlmProbability = mlmProbability
        s.evalSteps = evalSteps
        s.seed = options.seed
        return s
    }

    func run() throws {
        BLAS.setThreads(1)   // small matrices: one thread is fastest and keeps runs reproducible
        let out = try outputFolder()
        let settings = settings
        let start = ProgressBar.monotonicSeconds()

        // Checkpoints go to --out, HF's output_dir; `latest` is the newest one there.
        var checkpoints = CheckpointSettings(outputDir: out.path, saveSteps: saveSteps, saveTotalLimit: saveTotalLimit)
        if let resumeFromCheckpoint {
            let folder = try resolveCheckpoint(resumeFromCheckpoint, outputDir: out.path)
            checkpoints.resumeFromCheckpoint = folder
            if !options.quiet { print("resuming the pretraining from \(folder)") }
        }

        var bar: ProgressBar? = nil
        var current = ""
        let result = try runLesson(settings, checkpoints: checkpoints, comparisonEpochs: comparisonEpochs) { name, step, total in
            if name != current {
                bar?.finish()
                current = name
                bar = ProgressBar(total: total, label: name.padding(toLength: 8, withPad: " ", startingAt: 0), quiet: options.quiet)
            }
            bar?.update(step)
        }
        bar?.finish()
        if let step = result.run.divergedAtStep {
            throw LessonError("the loss became NaN at step \(step) (learning rate \(learningRate)); try a lower --learning-rate")
        }

        try out.writeCSV("metrics.csv", metricsTable(result.run))
        try out.writeCSV("masking.csv", maskingTable(result.comparison))
        try savePretrained(result.run.model, tokenizer: result.corpus.tokenizer, settings: settings, to: out.path)
        try writeFillMaskJSON(result.fillMask, to: URL(fileURLWithPath: out.file("fill-mask.json")))

        try out.cell("settings", settingsText(result))
        try out.cell("initial-loss", initialLossText(result))
        try out.cell("masking-statistics", maskingStatisticsTable(result).render())
        try out.cell("masking-checks", maskingChecksText(result))
        try out.cell("curve", curveTable(result.run).render())
        try out.cell("fill-mask", fillMaskText(result.fillMask))
        try out.cell("comparison-settings", comparisonSettingsText(result.comparison))
        try out.cell("comparison", comparisonTable(result.comparison).render())
        let seconds = ProgressBar.monotonicSeconds() - start
        try out.cell("summary", summaryTable(result, seconds: seconds).render())

        var plot = TerminalPlot(title: "masked-LM cross-entropy", xLabel: "step", height: 18)
        let rows = result.run.log.dropFirst()
        plot.add("train", x: rows.map { Double($0.step) }, y: rows.map(\.trainLoss))
        plot.add("validation", x: result.run.log.map { Double($0.step) }, y: result.run.log.map(\.validLoss))
        plot.show(quiet: options.quiet)
        if !options.quiet {
            print("wrote \(out.file("metrics.csv")) and the model folder \(out.file(PretrainedFiles.modelFolder))")
            let saved = CheckpointFolder.all(in: URL(fileURLWithPath: out.path)).map { $0.url.lastPathComponent }
            if saveSteps != nil && !saved.isEmpty { print("checkpoints in \(out.path): \(saved.joined(separator: ", "))") }
        }
    }
}

MaskedLanguageModelingLesson.main()
