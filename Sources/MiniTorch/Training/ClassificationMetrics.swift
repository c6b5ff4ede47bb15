/// Per-class metrics of a classifier, as scikit-learn defines them (sklearn.metrics:
/// `confusion_matrix`, `precision_recall_fscore_support`, `f1_score`; `compute_class_weight`).
///
/// Accuracy counts every example once, so the biggest class decides it: a model that always
/// answers "positive" on an 80/20 set scores 80%. These metrics look at each class on its own,
/// so a class the model never predicts shows up as a recall of 0.

/// Counts of (true class, predicted class): `matrix[i][j]` is how many examples of class i were
/// predicted as class j, as `sklearn.metrics.confusion_matrix(y_true, y_pred)`: rows are the
/// truth, columns the prediction, so the diagonal holds the correct answers.
public func confusionMatrix(labels: [Int], predictions: [Int], numClasses: Int) -> [[Int]] {
    checkClassification(labels: labels, predictions: predictions, numClasses: numClasses, op: "confusionMatrix")
    var matrix = [[Int]](repeating: [Int](repeating: 0, count: numClasses), count: numClasses)
    for (y, p) in zip(labels, predictions) { matrix[y][p] += 1 }
    return matrix
}

/// Precision, recall, F1 and support of every class, with their macro averages and the
/// accuracy, as `sklearn.metrics.precision_recall_fscore_support(y_true, y_pred, labels=range(C))`
/// and `average="macro"`.
public struct ClassificationMetrics: Sendable, Equatable {
    /// tp / (tp + fp): of the examples predicted as this class, the share that were.
    public var precision: [Double]
    /// tp / (tp + fn): of the examples of this class, the share the model found.
    public var recall: [Double]
    /// 2 tp / (2 tp + fp + fn), the harmonic mean of precision and recall.
    public var f1: [Double]
    /// Examples of each class in the labels.
    public var support: [Int]
    /// The counts the others come from (rows truth, columns prediction).
    public var confusion: [[Int]]

    /// Share of all examples predicted correctly (the diagonal over the total).
    public var accuracy: Double {
        let total = support.reduce(0, +)
        let correct = confusion.indices.reduce(0) { $0 + confusion[$1][$1] }
        return total == 0 ? 0 : Double(correct) / Double(total)
    }
    /// Unweighted means over the classes (scikit-learn's `average="macro"`): every class counts
    /// the same however rare it is, so a class with recall 0 pulls the macro average down hard.
    /// Macro-F1 is the mean of the per-class F1 scores, not the F1 of macro precision and recall.
    public var macroPrecision: Double { mean(precision) }
    public var macroRecall: Double { mean(recall) }
    public var macroF1: Double { mean(f1) }

    private func mean(_ values: [Double]) -> Double {
        // BEGIN SOLUTION ex09_2
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        // END SOLUTION
    }
}

/// Precision, recall and F1 of every class 0..<numClasses, from labels and predictions.
///
/// A ratio whose denominator is 0 is undefined; like scikit-learn, it is then `zeroDivision`
/// (scikit-learn's default "warn" returns 0.0 and warns; this returns `zeroDivision`, default 0,
/// silently). Precision is undefined for a class never predicted (tp + fp = 0), recall for a class
/// absent from the labels (tp + fn = 0), and F1, computed as 2 tp / (2 tp + fp + fn) as
/// scikit-learn does since 1.4, only when tp + fp + fn = 0; a class that is present but never
/// predicted gets F1 = 0 whatever `zeroDivision` says.
public func precisionRecallFScoreSupport(labels: [Int], predictions: [Int], numClasses: Int,
                                         zeroDivision: Double = 0) -> ClassificationMetrics {
    checkClassification(labels: labels, predictions: predictions, numClasses: numClasses, op: "precisionRecallFScoreSupport")
    let matrix = confusionMatrix(labels: labels, predictions: predictions, numClasses: numClasses)
    func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        denominator == 0 ? zeroDivision : Double(numerator) / Double(denominator)
    }
    var metrics = ClassificationMetrics(precision: [], recall: [], f1: [], support: [], confusion: matrix)
    // ANCHOR: prf
    // BEGIN SOLUTION ex09_2
    for c in 0..<numClasses {
        let tp = matrix[c][c]
        let support = matrix[c].reduce(0, +)                        // row: every true c
        let predicted = matrix.reduce(0) { $0 + $1[c] }             // column: every predicted c
        let (fn, fp) = (support - tp, predicted - tp)
        metrics.precision.append(ratio(tp, tp + fp))
        metrics.recall.append(ratio(tp, tp + fn))
        metrics.f1.append(ratio(2 * tp, 2 * tp + fp + fn))
        metrics.support.append(support)
    }
    // END SOLUTION
    // ANCHOR_END: prf
    return metrics
}

/// Macro-averaged F1 over classes 0..<numClasses, as `f1_score(y_true, y_pred, average="macro")`.
public func macroF1(labels: [Int], predictions: [Int], numClasses: Int, zeroDivision: Double = 0) -> Double {
    precisionRecallFScoreSupport(labels: labels, predictions: predictions, numClasses: numClasses,
                                 zeroDivision: zeroDivision).macroF1
}

/// One weight per class, n_samples / (n_classes x count of the class), as scikit-learn's
/// `compute_class_weight("balanced", classes=range(C), y=labels)` (sklearn.utils.class_weight).
///
/// Each class then carries the same total weight, n_samples / n_classes: on an 80/20 set of 1,000
/// the weights are 1000 / (2 x 800) = 0.625 and 1000 / (2 x 200) = 2.5. Pass them to
/// `CrossEntropyLoss(weight:)`. A class with no examples has no finite weight, so it is an error
/// (scikit-learn refuses such classes too).
public func computeClassWeights(labels: [Int], numClasses: Int) -> [Float] {
    checkClassification(labels: labels, predictions: labels, numClasses: numClasses, op: "computeClassWeights")
    // ANCHOR: balanced
    // BEGIN SOLUTION ex09_1
    var counts = [Int](repeating: 0, count: numClasses)
    for y in labels { counts[y] += 1 }
    if let empty = counts.firstIndex(of: 0) {
        fail("computeClassWeights: class \(empty) has no examples, so it has no balanced weight; check the labels or numClasses (\(numClasses))")
    }
    return counts.map { Float(Double(labels.count) / (Double(numClasses) * Double($0))) }
    // END SOLUTION
    // ANCHOR_END: balanced
}

private func checkClassification(labels: [Int], predictions: [Int], numClasses: Int, op: String) {
    if numClasses < 1 { fail("\(op): numClasses must be at least 1 (got \(numClasses))") }
    if labels.count != predictions.count {
        fail("\(op): \(predictions.count) predictions for \(labels.count) labels")
    }
    for (i, (y, p)) in zip(labels, predictions).enumerated() where !(0..<numClasses).contains(y) || !(0..<numClasses).contains(p) {
        fail("\(op): label \(y) or prediction \(p) at position \(i) is outside 0..<\(numClasses)")
    }
}
