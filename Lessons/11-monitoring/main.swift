// lesson-11-monitoring: one run that logs what a practitioner watches (losses, accuracy,
// perplexity, macro-F1, learning rate, gradient norm, step time, samples/s, peak memory) and
// diagnoses its learning curves at the end.
import ArgumentParser
import MiniTorch
import Monitoring
import Workbook

struct MonitoringLesson: LessonCommand {
    static let lessonFolder = "11-monitoring"
    static let configuration = lessonConfiguration(
        abstract: "A training dashboard: losses, accuracy, perplexity, macro-F1, lr, grad norm, speed, memory, diagnosis.")

    @OptionGroup var options: LessonOptions

    @Option(help: "Peak AdamW learning rate (linear warmup, then linear decay to 0).")
    var learningRate: Float = 3e-3
    @Option(help: "Passes over the 1,600 training tickets.")
    var numTrainEpochs = 12
    @Option(help: "Tickets per optimizer step.")
    var perDeviceTrainBatchSize = 32
    @Option(help: "Steps of linear warmup.")
    var warmupSteps = 30
    @Option(help: "max_norm of gradient clipping.")
    var maxGradNorm: Float = 1.0
    @Option(help: "Log the training loss and evaluate every this many steps.")
    var loggingSteps = 25

    func validate() throws {
        try positive(learningRate, "--learning-rate")
        try inRange(numTrainEpochs, 1...500, "--num-train-epochs")
        try inRange(perDeviceTrainBatchSize, 1...1600, "--per-device-train-batch-size")
        try atLeast(warmupSteps, 0, "--warmup-steps")
        try positive(maxGradNorm, "--max-grad-norm")
        try atLeast(loggingSteps, 1, "--logging-steps")
        let steps = numTrainEpochs * ((1600 + perDeviceTrainBatchSize - 1) / perDeviceTrainBatchSize)
        try check(steps >= 3 * loggingSteps,
                  "--logging-steps (\(loggingSteps)) must leave at least 3 evaluations in \(steps) steps for the diagnosis")
    }

    func run() throws {
        BLAS.setThreads(1)   // small matrices: one thread is fastest and keeps runs reproducible
        let out = try outputFolder()
        var s = MonitoringSettings()
        s.learningRate = learningRate
        s.numTrainEpochs = numTrainEpochs
        s.perDeviceTrainBatchSize = perDeviceTrainBatchSize
        s.warmupSteps = warmupSteps
        s.maxGradNorm = maxGradNorm
        s.loggingSteps = loggingSteps
        s.seed = options.seed

        var bar: ProgressBar? = nil
        let result = runMonitoring(s) { step, total in
            if bar == nil { bar = ProgressBar(total: total, label: "training", quiet: options.quiet) }
            bar?.update(step)
        }
        bar?.finish()

        try out.writeText("metrics.csv", result.log.csv())
        try out.writeText("metrics.jsonl", result.log.jsonLines())
        try out.writeCSV("evaluations.csv", evaluationsCSV(result))
        try out.writeCSV("timing.csv", timingCSV(result))
        try out.cell("evaluations", evaluationsTable(result).render())
        try out.cell("facts", runFacts(result))
        try out.cell("diagnosis", "diagnosis: \(result.diagnosis)")
        if !options.quiet { print(timingLine(result)) }

        var plot = TerminalPlot(title: "loss", xLabel: "step")
        plot.add("train", x: result.evaluations.map { Double($0.step) }, y: result.evaluations.map(\.trainLoss))
        plot.add("validation", x: result.evaluations.map { Double($0.step) }, y: result.evaluations.map(\.eval.loss))
        plot.show(quiet: options.quiet)
    }
}

MonitoringLesson.main()
