import Testing
@testable import MiniTorch

/// Classification metrics against values worked out by hand (and matching scikit-learn's
/// documented examples for `confusion_matrix`, `f1_score` and `compute_class_weight`).
@Suite struct ClassificationMetricsTests {
    @Test func confusionMatrixRowsAreTruthColumnsPrediction() {
        // sklearn's confusion_matrix example: y_true [2,0,2,2,0,1], y_pred [0,0,2,2,0,2].
        let m = confusionMatrix(labels: [2, 0, 2, 2, 0, 1], predictions: [0, 0, 2, 2, 0, 2], numClasses: 3)
        #expect(m == [[2, 0, 0], [0, 0, 1], [1, 0, 2]])
    }

    @Test func perClassAndMacroScores() {
        // sklearn's f1_score example: y_true [0,1,2,0,1,2], y_pred [0,2,1,0,0,1].
        // Class 0: tp 2, fp 1 (a 1 predicted as 0), fn 0 -> P 2/3, R 1, F1 4/5.
        // Classes 1 and 2: tp 0 -> P 0, R 0, F1 0. Macro-F1 = 0.8 / 3.
        let s = precisionRecallFScoreSupport(labels: [0, 1, 2, 0, 1, 2], predictions: [0, 2, 1, 0, 0, 1], numClasses: 3)
        #expect(abs(s.precision[0] - 2.0 / 3) < 1e-12)
        #expect(s.precision[1] == 0 && s.precision[2] == 0)
        #expect(s.recall == [1, 0, 0])
        #expect(abs(s.f1[0] - 0.8) < 1e-12 && s.f1[1] == 0 && s.f1[2] == 0)
        #expect(s.support == [2, 2, 2])
        #expect(abs(s.macroF1 - 0.8 / 3) < 1e-12)
        #expect(abs(s.macroPrecision - 2.0 / 9) < 1e-12)
        #expect(abs(s.macroRecall - 1.0 / 3) < 1e-12)
        #expect(abs(s.accuracy - 2.0 / 6) < 1e-12)
        #expect(abs(macroF1(labels: [0, 1, 2, 0, 1, 2], predictions: [0, 2, 1, 0, 0, 1], numClasses: 3) - 0.8 / 3) < 1e-12)
    }

    @Test func unevenBinaryCase() {
        // 10 examples, 3 of class 1. Predictions: two of the 3 found, one 0 called 1.
        // Class 1: tp 2, fp 1, fn 1 -> P 2/3, R 2/3, F1 = 2*2 / (2*2 + 1 + 1) = 2/3.
        // Class 0: tp 6, fp 1, fn 1 -> P 6/7, R 6/7, F1 6/7. Accuracy 8/10.
        let labels = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1]
        let predictions = [0, 0, 0, 0, 0, 0, 1, 1, 1, 0]
        let s = precisionRecallFScoreSupport(labels: labels, predictions: predictions, numClasses: 2)
        #expect(abs(s.precision[1] - 2.0 / 3) < 1e-12 && abs(s.recall[1] - 2.0 / 3) < 1e-12)
        #expect(abs(s.f1[1] - 2.0 / 3) < 1e-12)
        #expect(abs(s.f1[0] - 6.0 / 7) < 1e-12)
        #expect(abs(s.accuracy - 0.8) < 1e-12)
        #expect(abs(s.macroF1 - (2.0 / 3 + 6.0 / 7) / 2) < 1e-12)
        // F1 is the harmonic mean of P and R.
        #expect(abs(s.f1[0] - 2 * s.precision[0] * s.recall[0] / (s.precision[0] + s.recall[0])) < 1e-12)
    }

    @Test func majorityPredictorAndZeroDivision() {
        // 80/20, everything predicted as class 1: class 0 is never predicted, so its precision is
        // 0/0 -> zeroDivision; its recall is 0/80 = 0 and its F1 0/80 = 0 whatever zeroDivision says.
        let labels = [Int](repeating: 0, count: 80) + [Int](repeating: 1, count: 320)
        let predictions = [Int](repeating: 1, count: 400)
        let zero = precisionRecallFScoreSupport(labels: labels, predictions: predictions, numClasses: 2)
        #expect(zero.accuracy == 0.8)
        #expect(zero.precision == [0, 0.8] && zero.recall == [0, 1])
        #expect(abs(zero.f1[1] - 640.0 / 720) < 1e-12)          // 2*320 / (2*320 + 80)
        #expect(abs(zero.macroF1 - 320.0 / 720) < 1e-12)        // (0 + 0.889) / 2 = 0.444
        let one = precisionRecallFScoreSupport(labels: labels, predictions: predictions, numClasses: 2, zeroDivision: 1)
        #expect(one.precision == [1, 0.8])
        #expect(one.f1[0] == 0)
    }

    @Test func absentClassCountsInTheMacroAverage() {
        // Class 2 appears in neither labels nor predictions: every ratio is 0/0 -> zeroDivision,
        // and the macro average over 0..<3 includes it, as sklearn does with labels=[0, 1, 2].
        let s = precisionRecallFScoreSupport(labels: [0, 1, 1], predictions: [0, 1, 1], numClasses: 3)
        #expect(s.f1 == [1, 1, 0] && s.support == [1, 2, 0])
        #expect(abs(s.macroF1 - 2.0 / 3) < 1e-12)
        let ones = precisionRecallFScoreSupport(labels: [0, 1, 1], predictions: [0, 1, 1], numClasses: 3, zeroDivision: 1)
        #expect(ones.f1 == [1, 1, 1] && ones.precision[2] == 1 && ones.recall[2] == 1)
    }

    @Test func balancedClassWeights() {
        // n_samples / (n_classes * count): 4 / (2 * 3) and 4 / (2 * 1).
        let w = computeClassWeights(labels: [0, 0, 0, 1], numClasses: 2)
        #expect(abs(w[0] - 2.0 / 3) < 1e-6 && abs(w[1] - 2) < 1e-6)
        // 80/20 of 1,000: 0.625 and 2.5; each class then carries 500 in total.
        let labels = [Int](repeating: 1, count: 800) + [Int](repeating: 0, count: 200)
        let balanced = computeClassWeights(labels: labels, numClasses: 2)
        #expect(balanced == [2.5, 0.625])
        #expect(balanced[0] * 200 == 500 && balanced[1] * 800 == 500)
        // Already balanced data gets weight 1 for every class.
        #expect(computeClassWeights(labels: [0, 1, 2, 0, 1, 2], numClasses: 3) == [1, 1, 1])
    }

    @Test func badInputsFailWithOneLine() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = computeClassWeights(labels: [0, 0, 1], numClasses: 3)
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text.hasPrefix("error: computeClassWeights: class 2 has no examples"))
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = confusionMatrix(labels: [0, 1], predictions: [0], numClasses: 2)
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text.hasPrefix("error: confusionMatrix: 1 predictions for 2 labels"))
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = precisionRecallFScoreSupport(labels: [0, 2], predictions: [0, 1], numClasses: 2)
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text.hasPrefix("error: precisionRecallFScoreSupport: label 2 or prediction 1 at position 1 is outside 0..<2"))
        }
    }
}
