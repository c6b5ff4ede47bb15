import ArgumentParser
import MiniTorch
import Overfitting
import Workbook

/// lesson-05-overfitting: four canonical learning curves on one small noisy data set, and
/// what `diagnose` makes of each.
struct OverfittingLesson: LessonCommand {
    static let lessonFolder = "05-overfitting"
    static let configuration = lessonConfiguration(
        abstract: "Overfit, underfit, erratic and well-fit runs on one noisy data set; early stopping, dropout and weight decay.")

    @OptionGroup var options: LessonOptions

    @Option(help: "Learning rate of the overfit and well-fit runs (AdamW).")
    var learningRate: Float = 3e-3
    @Option(help: "Epoch budget of every run.")
    var numTrainEpochs = 200
    @Option(help: "Batch size of the overfit, underfit and well-fit runs.")
    var perDeviceTrainBatchSize = 16
    @Option(help: "AdamW weight decay of the well-fit run.")
    var weightDecay: Float = 0.5
    @Option(help: "Dropout probability after each hidden layer of the well-fit run.")
    var dropout: Float = 0.5
    @Option(help: "Epochs without a new best validation loss before the well-fit run stops.")
    var earlyStoppingPatience = 3
    @Option(help: "Width of each of the two hidden layers.")
    var hiddenSize = 128
    @Option(help: "Learning rate of the underfit run.")
    var underfitLearningRate: Float = 3e-6
    @Option(help: "Learning rate of the erratic run.")
    var erraticLearningRate: Float = 0.05
    @Option(help: "Batch size of the erratic run.")
    var erraticBatchSize = 4

    func validate() throws {
        try positive(learningRate, "--learning-rate")
        try inRange(numTrainEpochs, 3...10_000, "--num-train-epochs")
        // A batch larger than the 200 training points would silently be the whole set.
        try inRange(perDeviceTrainBatchSize, 1...200, "--per-device-train-batch-size")
        try inRange(weightDecay, 0...10, "--weight-decay")
        try check(dropout >= 0 && dropout < 1, "--dropout must be at least 0 and below 1 (got \(dropout))")
        try atLeast(earlyStoppingPatience, 1, "--early-stopping-patience")
        try atLeast(hiddenSize, 1, "--hidden-size")
        try positive(underfitLearningRate, "--underfit-learning-rate")
        try positive(erraticLearningRate, "--erratic-learning-rate")
        try inRange(erraticBatchSize, 1...200, "--erratic-batch-size")
    }

    var settings: LessonSettings {
        var s = LessonSettings()
        s.learningRate = learningRate
        s.numTrainEpochs = numTrainEpochs
        s.perDeviceTrainBatchSize = perDeviceTrainBatchSize
        s.weightDecay = weightDecay
        s.dropout = dropout
        s.earlyStoppingPatience = earlyStoppingPatience
        s.hiddenSize = hiddenSize
        s.underfitLearningRate = underfitLearningRate
        s.erraticLearningRate = erraticLearningRate
        s.erraticBatchSize = erraticBatchSize
        s.seed = options.seed
        return s
    }

    func run() throws {
        let out = try outputFolder()
        let settings = settings

        // One bar per run, each as long as the epoch budget (early stopping ends one short).
        var bar: ProgressBar? = nil
        var current = ""
        let result = try runLesson(settings) { name, metrics in
            if name != current {
                bar?.finish()
                current = name
                bar = ProgressBar(total: settings.numTrainEpochs, label: name.padding(toLength: 11, withPad: " ", startingAt: 0),
                                  quiet: options.quiet)
            }
            bar?.update(metrics.epoch, metrics: ["train_loss": metrics.trainLoss, "valid_loss": metrics.validLoss])
        }
        bar?.finish()

        try out.writeCSV("metrics.csv", metricsTable(result))
        try out.writeCSV("landmarks.csv", landmarksTable(result))
        try out.cell("settings", settingsText(settings))
        try out.cell("runs", runsTable(result).render())
        try out.cell("early-stopping", earlyStoppingText(result))
        try out.cell("gap", gapText(result))

        var plot = TerminalPlot(title: "overfit run: cross-entropy loss", xLabel: "epoch", height: 18)
        let epochs = result.overfit.history.map { Double($0.epoch) }
        plot.add("train", x: epochs, y: result.overfit.trainLosses)
        plot.add("validation", x: epochs, y: result.overfit.validLosses)
        plot.show(quiet: options.quiet)
        if !options.quiet { print("wrote \(out.file("metrics.csv"))") }
    }
}

OverfittingLesson.main()
