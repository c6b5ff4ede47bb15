import Testing
import MiniTorch

/// ex09_2: precision, recall and F1 per class and their macro averages
/// (Sources/MiniTorch/Training/ClassificationMetrics.swift, `precisionRecallFScoreSupport` and
/// `ClassificationMetrics.mean`), as scikit-learn's `precision_recall_fscore_support` and
/// `average="macro"`. From the confusion matrix M (rows truth, columns prediction): tp = M[c][c],
/// fn = row sum - tp, fp = column sum - tp; precision tp / (tp + fp), recall tp / (tp + fn),
/// F1 2 tp / (2 tp + fp + fn); an undefined ratio is `zeroDivision`. Reference values: NumPy
/// by hand, the same as scikit-learn 1.4+.
@Suite("ex09_2: precision, recall and F1 from the confusion matrix")
struct Ex09_2 {
    static func close(_ a: [Double], _ b: [Double]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-12 } }

    /// M = [[2, 1, 1], [0, 2, 0], [2, 0, 2]].
    @Test func threeClasses() {
        let m = precisionRecallFScoreSupport(labels: [0, 0, 0, 0, 1, 1, 2, 2, 2, 2], predictions: [0, 0, 1, 2, 1, 1, 2, 2, 0, 0], numClasses: 3)
        #expect(Self.close(m.precision, [0.5, 2.0 / 3.0, 2.0 / 3.0]), "precision \(m.precision)")
        #expect(Self.close(m.recall, [0.5, 1, 0.5]), "recall \(m.recall)")
        #expect(Self.close(m.f1, [0.5, 0.8, 0.5714285714285714]), "f1 \(m.f1)")
        #expect(m.support == [4, 2, 4], "support \(m.support)")
        #expect(abs(m.macroPrecision - 0.611111111111111) < 1e-12 && abs(m.macroRecall - 2.0 / 3.0) < 1e-12, "macro precision \(m.macroPrecision), recall \(m.macroRecall)")
        #expect(abs(m.macroF1 - 0.6238095238095238) < 1e-12, "macro-F1 \(m.macroF1): the mean of the F1s, not the F1 of the means")
    }

    /// The lesson's trap: always answering the majority class of an 80/20 set.
    @Test func majorityClassPredictor() {
        let labels = (0..<100).map { $0 < 20 ? 0 : 1 }
        let m = precisionRecallFScoreSupport(labels: labels, predictions: [Int](repeating: 1, count: 100), numClasses: 2)
        #expect(m.accuracy == 0.8)
        #expect(m.recall == [0, 1], "recall \(m.recall): the minority is never found")
        #expect(m.precision == [0, 0.8], "precision \(m.precision): class 0 is never predicted, so 0 (zeroDivision)")
        #expect(Self.close(m.f1, [0, 0.8888888888888888]), "f1 \(m.f1)")
        #expect(abs(m.macroF1 - 0.4444444444444444) < 1e-12, "macro-F1 \(m.macroF1)")
    }

    /// Class 2 absent and never predicted, class 3 present but never predicted.
    @Test func undefinedRatiosAreZeroDivision() {
        let labels = [0, 0, 1, 1, 1, 3], predictions = [0, 1, 1, 1, 1, 1]
        let zero = precisionRecallFScoreSupport(labels: labels, predictions: predictions, numClasses: 4)
        #expect(Self.close(zero.precision, [1, 0.6, 0, 0]) && Self.close(zero.recall, [0.5, 1, 0, 0]), "precision \(zero.precision), recall \(zero.recall)")
        #expect(Self.close(zero.f1, [2.0 / 3.0, 0.75, 0, 0]), "f1 \(zero.f1)")
        #expect(abs(zero.macroF1 - 0.35416666666666663) < 1e-12, "macro-F1 \(zero.macroF1)")
        let one = precisionRecallFScoreSupport(labels: labels, predictions: predictions, numClasses: 4, zeroDivision: 1)
        #expect(Self.close(one.precision, [1, 0.6, 1, 1]) && Self.close(one.recall, [0.5, 1, 1, 0]), "zeroDivision 1: precision \(one.precision), recall \(one.recall)")
        #expect(Self.close(one.f1, [2.0 / 3.0, 0.75, 1, 0]), "zeroDivision 1: f1 \(one.f1); a present class never predicted has F1 0")
        #expect(abs(one.macroF1 - 0.6041666666666666) < 1e-12, "zeroDivision 1: macro-F1 \(one.macroF1)")
    }

    @Test func macroF1Function() {
        let f = macroF1(labels: [0, 1, 1, 0, 1], predictions: [0, 1, 0, 0, 1], numClasses: 2)
        // class 0: tp 2, fp 1, fn 0 -> 0.8; class 1: tp 2, fp 0, fn 1 -> 0.8
        #expect(abs(f - 0.8) < 1e-12, "macro-F1 \(f)")
    }
}
