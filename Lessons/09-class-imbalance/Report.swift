import MiniTorch
import Workbook

/// Writes the epochs and final scores as CSVs and the chapter's cells, and plots the minority recall.
public func report(_ result: LessonResult, to out: OutputFolder) throws {
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
    try out.cell("prior-bias", priorBiasText(priorBiasCheck(data: result.data, settings: result.settings)))

    var plot = TerminalPlot(title: "negative (minority) recall on validation", xLabel: "epoch", height: 16)
    for run in result.runs {
        plot.add(run.config.name, x: run.history.map { Double($0.epoch) }, y: run.history.map(\.minorityRecall))
    }
    plot.show(quiet: out.quiet)
    if !out.quiet { print("wrote \(out.file("epochs.csv"))") }
}

// What the run prints and writes: tables, confusion matrices and the CSV the figures read.
// Every number comes from a `LessonResult`, which the tests build the same way.

/// The majority-class predictor: "positive" for every review. Its scores are what a model that
/// learned only the class shares gets, whatever its accuracy suggests.
public func majorityScores(_ data: LessonData) -> ClassificationMetrics {
    let labels = data.validation.labels
    return precisionRecallFScoreSupport(labels: labels, predictions: labels.map { _ in Sentiment.positive.rawValue },
                                        numClasses: Sentiment.allCases.count)
}

/// How many reviews of each class each set holds: the stratified split keeps 80/20 in both.
public func dataTable(_ data: LessonData) -> Table {
    var table = Table(["set", "reviews", "negative", "positive", "negative share"])
    for (name, set) in [("all", data.all), ("train", data.train), ("validation", data.validation)] {
        let negatives = set.labels.filter { $0 == Sentiment.negative.rawValue }.count
        table.addRow(name, fmt(set.count), fmt(negatives), fmt(set.count - negatives),
                     fmtPercent(Double(negatives) / Double(set.count)))
    }
    return table
}

/// A few reviews as the model sees them, with their labels.
public func sampleReviews(_ data: LessonData, count: Int = 4) -> String {
    var lines: [String] = []
    for sentiment in [Sentiment.positive, .negative] {
        for review in data.train.reviews.filter({ $0.label == sentiment.rawValue }).prefix(count / 2) {
            lines.append("\(sentiment.name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(review.text)")
        }
    }
    return lines.joined(separator: "\n")
}

/// The balanced weights of the training set, and what they do to a batch's loss denominator.
public func classWeightsText(_ data: LessonData) -> String {
    let labels = data.train.labels
    let weights = computeClassWeights(labels: labels, numClasses: Sentiment.allCases.count)
    var lines: [String] = []
    for sentiment in Sentiment.allCases {
        let n = labels.filter { $0 == sentiment.rawValue }.count
        lines.append("\(sentiment.name): \(fmt(labels.count)) / (2 x \(fmt(n))) = \(fmt(Double(weights[sentiment.rawValue])))")
    }
    let totals = Sentiment.allCases.map { s in Double(weights[s.rawValue]) * Double(labels.filter { $0 == s.rawValue }.count) }
    lines.append("total weight per class: negative \(fmt(totals[0], digits: 1)), positive \(fmt(totals[1], digits: 1))")
    return lines.joined(separator: "\n")
}

/// scikit-learn's `classification_report` layout: one line per class, then accuracy and the
/// macro average.
public func classificationReport(_ scores: ClassificationMetrics) -> String {
    var table = Table(["class", "precision", "recall", "f1-score", "support"])
    for sentiment in Sentiment.allCases {
        let c = sentiment.rawValue
        table.addRow(sentiment.name, fmt(scores.precision[c]), fmt(scores.recall[c]), fmt(scores.f1[c]), fmt(scores.support[c]))
    }
    let total = scores.support.reduce(0, +)
    table.addRow("accuracy", "", "", fmt(scores.accuracy), fmt(total))
    table.addRow("macro avg", fmt(scores.macroPrecision), fmt(scores.macroRecall), fmt(scores.macroF1), fmt(total))
    return table.render()
}

/// A confusion matrix with named rows (truth) and columns (prediction).
public func confusionText(_ scores: ClassificationMetrics) -> String {
    var table = Table(["true \\ predicted", "negative", "positive"])
    for sentiment in Sentiment.allCases {
        table.addRow(sentiment.name, fmt(scores.confusion[sentiment.rawValue][0]), fmt(scores.confusion[sentiment.rawValue][1]))
    }
    return table.render()
}

/// The table of runs: the last epoch's validation scores of each. "negative" is the minority.
public func runsTable(_ result: LessonResult) -> Table {
    var table = Table(["run", "learning rate", "weights", "train set", "steps", "accuracy", "neg. precision",
                       "neg. recall", "neg. F1", "macro-F1"])
    let majority = majorityScores(result.data)
    table.addRow("always positive", "", "", "", "", fmt(majority.accuracy), fmt(majority.precision[0]),
                 fmt(majority.recall[0]), fmt(majority.f1[0]), fmt(majority.macroF1))
    for run in result.runs {
        let f = run.final
        table.addRow(run.config.name, fmtScientific(Double(run.config.learningRate), digits: 0),
                     run.config.classWeights.rawValue, run.config.oversample ? "oversampled" : "as is",
                     fmt(run.stepsPerEpoch * f.epoch), fmt(f.accuracy), fmt(f.minorityPrecision), fmt(f.minorityRecall), fmt(f.minorityF1), fmt(f.macroF1))
    }
    return table
}

/// Each fix measured against the baseline: change in minority recall and macro-F1.
public func liftsTable(_ result: LessonResult) -> Table {
    let base = result.runs[0].final
    var table = Table(["run", "neg. recall", "lift", "macro-F1", "lift"])
    for run in result.runs.dropFirst() {
        let f = run.final
        table.addRow(run.config.name, fmt(f.minorityRecall), signed(f.minorityRecall - base.minorityRecall),
                     fmt(f.macroF1), signed(f.macroF1 - base.macroF1))
    }
    return table
}

private func signed(_ value: Double) -> String { (value >= 0 ? "+" : "") + fmt(value) }

/// The baseline before and after training: accuracy climbs while macro-F1 does not.
public func accuracyLiesText(_ result: LessonResult) -> String {
    let run = result.runs[0], start = run.history[0], end = run.final
    let positive = end.scores.confusion.reduce(0) { $0 + $1[Sentiment.positive.rawValue] }
    let total = end.scores.support.reduce(0, +)
    return """
        baseline (learning rate \(fmtScientific(Double(run.config.learningRate), digits: 0))), epoch 0 -> epoch \(end.epoch):
          accuracy        \(fmt(start.accuracy)) -> \(fmt(end.accuracy))
          negative recall \(fmt(start.minorityRecall)) -> \(fmt(end.minorityRecall))
          macro-F1        \(fmt(start.macroF1)) -> \(fmt(end.macroF1))
          validation loss \(fmt(start.validLoss)) -> \(fmt(end.validLoss))   (ln 2 = 0.693)
          predicted positive: \(positive) of \(total) validation reviews
        """
}

/// One row per run and epoch, for the figures (a "long" table: the run is a column).
public func epochsCSV(_ result: LessonResult) -> CSVTable {
    var csv = CSVTable(header: ["run", "epoch", "train_loss", "valid_loss", "accuracy", "minority_precision",
                                "minority_recall", "minority_f1", "macro_f1"])
    for run in result.runs {
        for m in run.history {
            csv.addRow([run.config.name, String(m.epoch), m.trainLoss.map { String($0) } ?? "nan", String(m.validLoss),
                        String(m.accuracy), String(m.minorityPrecision), String(m.minorityRecall),
                        String(m.minorityF1), String(m.macroF1)])
        }
    }
    return csv
}

/// The last epoch of each run, with its confusion matrix flattened (tn = negatives found, ...
/// with negative as the class of interest).
public func finalCSV(_ result: LessonResult) -> CSVTable {
    var csv = CSVTable(header: ["run", "learning_rate", "class_weights", "oversample", "accuracy", "minority_precision",
                                "minority_recall", "minority_f1", "macro_f1", "neg_as_neg", "neg_as_pos",
                                "pos_as_neg", "pos_as_pos"])
    for run in result.runs {
        let f = run.final, c = f.scores.confusion
        csv.addRow([run.config.name, String(run.config.learningRate), run.config.classWeights.rawValue,
                    String(run.config.oversample), String(f.accuracy), String(f.minorityPrecision),
                    String(f.minorityRecall), String(f.minorityF1), String(f.macroF1),
                    String(c[0][0]), String(c[0][1]), String(c[1][0]), String(c[1][1])])
    }
    return csv
}

/// The cell name of a run's confusion matrix: "confusion-higher-lr-weights".
public func cellName(_ prefix: String, _ run: RunConfig) -> String {
    prefix + "-" + run.name.split(whereSeparator: { !$0.isLetter }).joined(separator: "-")
}
