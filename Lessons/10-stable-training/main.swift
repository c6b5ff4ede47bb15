// lesson-10-stable-training: gradient clipping rescues a diverging run; what fp16 and bf16 do to
// values and gradients; loss scaling, static and dynamic; a NaN caught at the step it appears.
import ArgumentParser
import MiniTorch
import StableTraining
import Workbook

struct StableTrainingLesson: LessonCommand {
    static let lessonFolder = "10-stable-training"
    static let configuration = lessonConfiguration(
        abstract: "Clipping a diverging run, fp16/bf16 rounding, loss scaling, and a NaN caught where it appears.")

    @OptionGroup var options: LessonOptions

    @Option(help: "SGD rate of the two clipping runs (too high without clipping).")
    var learningRate: Float = 0.2
    @Option(help: "max_norm of clip_grad_norm_ in the clipped run (Hugging Face's max_grad_norm).")
    var maxGradNorm: Float = 1.0
    @Option(help: "Optimizer steps of the clipping runs.")
    var maxSteps = 500
    @Option(help: "Step whose batch carries a NaN in the bad-batch run.")
    var badBatchStep = 40

    func validate() throws {
        try positive(learningRate, "--learning-rate")
        try positive(maxGradNorm, "--max-grad-norm")
        try inRange(maxSteps, 1...20_000, "--max-steps")
        try inRange(badBatchStep, 1...maxSteps, "--bad-batch-step")
    }

    func run() throws {
        BLAS.setThreads(1)   // small matrices: one thread is fastest and keeps runs reproducible
        let out = try outputFolder()
        var settings = LessonSettings()
        settings.learningRate = learningRate
        settings.maxGradNorm = maxGradNorm
        settings.maxSteps = maxSteps
        settings.badBatchStep = badBatchStep
        settings.seed = options.seed

        var bar = ProgressBar(total: lessonParts, label: "runs", quiet: options.quiet)
        let result = runLesson(settings) { bar.update($0) }
        bar.finish()

        try out.writeCSV("clipping.csv", clippingCSV(result))
        try out.writeCSV("underflow.csv", underflowCSV(result))
        try out.writeCSV("precision.csv", precisionCSV(result))
        try out.cell("clipping", clippingTable(result).render())
        try out.cell("nan-diverged", result.unclipped.stopped.map { "error: \($0)" } ?? "no clipping: the run finished")
        try out.cell("clip-order", clipOrderText(compareClipOrder({ var p = settings.precision; p.seed = settings.seed; return p }())))
        try out.cell("nan-bad-batch", result.badBatch.stopped.map { "error: \($0)" } ?? "bad batch: the run finished")
        try out.cell("edges", edgesTable().render())
        try out.cell("rounding-error", roundingErrorTable(result).render())
        try out.cell("underflow", underflowTable(result).render())
        try out.cell("precision-runs", precisionTable(result).render())

        var plot = TerminalPlot(title: "loss at learning rate \(learningRate) (log scale)", xLabel: "step", logY: true)
        plot.add("no clipping", y: result.unclipped.losses.filter(\.isFinite).map(Double.init))
        plot.add("clipped to \(maxGradNorm)", y: result.clipped.losses.map(Double.init))
        plot.show(quiet: options.quiet)
    }
}

StableTrainingLesson.main()
