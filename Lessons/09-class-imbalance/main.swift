// lesson-09-class-imbalance: an 80/20 sentiment set and a learning rate of 1e-5, as in a failed
// DistilBERT fine-tune; what accuracy hides, and what class weights, a higher rate and
// oversampling each change.
import ArgumentParser
import ClassImbalance
import MiniTorch
import Workbook

extension ClassWeighting: ExpressibleByArgument {}

struct ClassImbalanceLesson: LessonCommand {
    static let lessonFolder = "09-class-imbalance"
    static let configuration = lessonConfiguration(
        abstract: "80/20 reviews at learning rate 1e-5: 80% accuracy, no negative review found; class weights, a higher rate, oversampling.")

    @OptionGroup var options: LessonOptions

    @Option(help: "AdamW rate of the baseline and class-weights runs (the source's 1e-5).")
    var learningRate: Float = 1e-5
    @Option(help: "AdamW rate of the three \"higher lr\" runs.")
    var higherLearningRate: Float = 1e-3
    @Option(help: "The baseline's loss weighting: none or balanced (the class-weights runs always use balanced).")
    var classWeights: ClassWeighting = .none
    @Option(help: "Passes over the training set, every run.")
    var numTrainEpochs = 10
    @Option(help: "Reviews per optimizer step.")
    var perDeviceTrainBatchSize = 16
    @Option(help: "Share of the minority (negative) class in the data set.")
    var minorityShare = 0.2

    func validate() throws {
        try positive(learningRate, "--learning-rate")
        try positive(higherLearningRate, "--higher-learning-rate")
        try inRange(numTrainEpochs, 1...500, "--num-train-epochs")
        try inRange(perDeviceTrainBatchSize, 1...1600, "--per-device-train-batch-size")
        try check(minorityShare >= 0.05 && minorityShare <= 0.5,
                  "--minority-share must be between 0.05 and 0.5 (got \(minorityShare))")
    }

    var settings: LessonSettings {
        var s = LessonSettings()
        s.learningRate = learningRate
        s.higherLearningRate = higherLearningRate
        s.classWeights = classWeights
        s.numTrainEpochs = numTrainEpochs
        s.perDeviceTrainBatchSize = perDeviceTrainBatchSize
        s.reviews.minorityShare = minorityShare
        s.seed = options.seed
        return s
    }

    func run() throws {
        BLAS.setThreads(1)   // small matrices: one thread is fastest and keeps runs reproducible
        let out = try outputFolder()
        let settings = settings

        var bar: ProgressBar? = nil
        var current = ""
        let result = try runLesson(settings) { config, metrics in
            if config.name != current {
                bar?.finish()
                current = config.name
                bar = ProgressBar(total: settings.numTrainEpochs,
                                  label: config.name.padding(toLength: 24, withPad: " ", startingAt: 0),
                                  quiet: options.quiet)
            }
            bar?.update(metrics.epoch, metrics: ["accuracy": metrics.accuracy, "neg_recall": metrics.minorityRecall,
                                                 "macro_f1": metrics.macroF1])
        }
        bar?.finish()

        try out.writeCSV("epochs.csv", epochsCSV(result))
        try out.writeCSV("final.csv", finalCSV(result))
        try out.cell("data", dataTable(result.data).render())
        try out.cell("samples", sampleReviews(result.data))
        try out.cell("class-weights", classWeightsText(result.data))
        try out.cell("accuracy-lies", accuracyLiesText(result))
        try out.cell("report-baseline", classificationReport(result.runs[0].final.scores))
        try out.cell("report-best", classificationReport(result.run("higher lr + weights").final.scores))
        for run in result.runs {
            try out.cell(cellName("confusion", run.config), confusionText(run.final.scores))
        }
        try out.cell("runs", runsTable(result).render())
        try out.cell("lifts", liftsTable(result).render())
        try out.cell("prior-bias", priorBiasText(priorBiasCheck(data: result.data, settings: settings)))

        var plot = TerminalPlot(title: "negative (minority) recall on validation", xLabel: "epoch", height: 16)
        for run in result.runs {
            plot.add(run.config.name, x: run.history.map { Double($0.epoch) }, y: run.history.map(\.minorityRecall))
        }
        plot.show(quiet: options.quiet)
        if !options.quiet { print("wrote \(out.file("epochs.csv"))") }
    }
}

ClassImbalanceLesson.main()
