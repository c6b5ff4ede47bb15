import Foundation
import MiniTorch
import Testing
import Workbook
@testable import ClassImbalance

/// Lesson 09's claims, from the same function the executable calls, at its default settings
/// (five runs of 10 epochs, about a second in release).
@Suite("Lesson 09: class imbalance")
struct Lesson09Tests {
    static let result = Result { try ClassImbalance.run(Settings()) }

    @Test func dataIsEightyTwentyAndTheSplitIsStratified() throws {
        let data = try Self.result.get().data
        func negatives(_ set: ReviewDataset) -> Int { set.labels.filter { $0 == 0 }.count }
        #expect(data.all.count == 2000 && negatives(data.all) == 400)
        #expect(data.train.count == 1600 && negatives(data.train) == 320)
        #expect(data.validation.count == 400 && negatives(data.validation) == 80)
        // Every review is in exactly one of the two sets.
        #expect(Set(data.train.reviews.map(\.text) + data.validation.reviews.map(\.text)).count
            == Set(data.all.reviews.map(\.text)).count)
    }

    @Test func balancedWeightsAreTwoAndAHalfAndFiveEighths() throws {
        let data = try Self.result.get().data
        #expect(computeClassWeights(labels: data.train.labels, numClasses: 2) == [2.5, 0.625])
        #expect(classWeightsText(data).contains("total weight per class: negative 800.0, positive 800.0"))
        // The weights the two weighted runs used; oversampling balances the counts instead.
        let result = try Self.result.get()
        #expect(result.run("higher lr + weights").classWeights == [2.5, 0.625])
        #expect(result.run("higher lr + oversampling").trainCount == 2560)
        #expect(result.run("higher lr + oversampling").stepsPerEpoch == 160)
        #expect(result.run("baseline").stepsPerEpoch == 100)
    }

    @Test func weightedMeanDividesBySumOfWeights() {
        // PyTorch's weighted mean: sum_i w[y_i] * loss_i / sum_i w[y_i], not / N. With zero
        // logits every loss_i is ln 2, so the weighted mean is still ln 2 (a plain /N would not be).
        let weights = Tensor([2.5, 0.625], shape: [2])
        let labels = [0, 1, 1, 1]
        let loss = CrossEntropyLoss(weight: weights)(Tensor.zeros([4, 2]), labels).item()
        #expect(abs(Double(loss) - 0.693147) < 1e-5)
        let sumOverN = CrossEntropyLoss(weight: weights, reduction: .sum)(Tensor.zeros([4, 2]), labels).item() / 4
        #expect(abs(Double(sumOverN) - 0.693147 * (2.5 + 3 * 0.625) / 4) < 1e-5)
    }

    @Test func baselinePredictsTheMajorityWhileAccuracyLooksFine() throws {
        let run = try Self.result.get().run("baseline")
        #expect(run.config.learningRate == 1e-5 && run.config.classWeights == .none)
        let start = run.history[0], end = run.final
        #expect(end.epoch == 10)
        // Accuracy 0.80, the share of positive reviews; no negative review found.
        #expect(end.accuracy == 0.8)
        #expect(end.minorityRecall <= 0.05)
        #expect(end.scores.confusion == [[0, 80], [0, 320]])
        // Exactly the always-positive predictor's scores.
        #expect(end.scores == majorityScores(try Self.result.get().data))
        #expect(abs(end.macroF1 - 0.444) < 5e-4)
        // Accuracy climbed 30 points from the untrained model while macro-F1 moved 0.01.
        #expect(abs(start.accuracy - 0.5025) < 1e-9)
        #expect(abs(start.minorityRecall - 0.3875) < 1e-9)
        #expect(abs(start.macroF1 - 0.434) < 5e-4)
        #expect(end.macroF1 - start.macroF1 < 0.015)
        // From epoch 4 on it answers "positive" to every review.
        #expect(run.history[4...].allSatisfy { $0.scores.confusion[0][0] == 0 && $0.scores.confusion[1][0] == 0 })
        #expect(run.history[3].scores.confusion[1][0] > 0)
        // The loss barely moved from ln 2 = 0.693: a stall, not a trained model.
        #expect(abs(start.validLoss - 0.693) < 5e-4)
        #expect(abs(end.validLoss - 0.669) < 5e-4)
    }

    @Test func classWeightsAloneAtTheLowRateBarelyHelp() throws {
        let run = try Self.result.get().run("class weights")
        #expect(abs(run.final.minorityRecall - 0.1625) < 1e-9)
        #expect(abs(run.final.macroF1 - 0.555) < 5e-4)
        // The model is still near ln 2: weights stop it learning the prior, they cannot speed it up.
        #expect(run.final.validLoss > 0.685)
    }

    @Test func higherRateLearnsThePriorFirstThenTheWords() throws {
        let run = try Self.result.get().run("higher lr")
        #expect(run.config.learningRate == 1e-3)
        // Epoch 1: every review called positive (the prior is the quickest thing to learn).
        #expect(run.history[1].scores.confusion == [[0, 80], [0, 320]])
        #expect(abs(run.final.minorityRecall - 0.5375) < 1e-9)
        #expect(abs(run.final.minorityPrecision - 0.843) < 5e-4)
        #expect(abs(run.final.macroF1 - 0.795) < 5e-4)
        #expect(abs(run.final.validLoss - 0.258) < 5e-4)
    }

    @Test func theFixesLiftMinorityRecallAndMacroF1() throws {
        let result = try Self.result.get()
        let base = result.run("baseline").final
        let both = result.run("higher lr + weights").final
        let over = result.run("higher lr + oversampling").final
        // Stated in the chapter: the two full fixes lift negative recall by more than 0.75 and
        // macro-F1 by more than 0.38 over the baseline.
        #expect(both.minorityRecall - base.minorityRecall > 0.75)
        #expect(both.macroF1 - base.macroF1 > 0.38)
        #expect(over.minorityRecall - base.minorityRecall > 0.75)
        #expect(over.macroF1 - base.macroF1 > 0.38)
        #expect(abs(both.minorityRecall - 0.775) < 1e-9 && abs(both.macroF1 - 0.837) < 5e-4)
        #expect(abs(over.minorityRecall - 0.8125) < 1e-9 && abs(over.macroF1 - 0.832) < 5e-4)
        #expect(both.scores.confusion == [[62, 18], [25, 295]])
        // Weights trade precision for recall against the unweighted higher rate.
        let plain = result.run("higher lr").final
        #expect(both.minorityRecall > plain.minorityRecall + 0.2 && both.minorityPrecision < plain.minorityPrecision)
        // Accuracy hardly tells the runs apart: 0.887 vs 0.892.
        #expect(abs(plain.accuracy - 0.8875) < 1e-9 && abs(both.accuracy - 0.8925) < 1e-9)
    }

    @Test func sameSeedSameNumbers() throws {
        let again = try ClassImbalance.run(Settings())
        #expect(epochsCSV(again) == epochsCSV(try Self.result.get()))
    }

    /// The output bias at ln(prior): the untrained model's validation loss is the entropy of the
    /// 80/20 prior instead of ln 2, and it calls every review positive.
    @Test func priorBiasInitStartsAtTheEntropyOfThePrior() throws {
        let r = try Self.result.get()
        let c = priorBiasCheck(data: r.data, settings: r.settings)
        #expect(String(format: "%.3f", c.zeroBiasLoss) == "0.693" && String(format: "%.3f", c.lnClasses) == "0.693")
        #expect(String(format: "%.3f", c.priorBiasLoss) == "0.501" && String(format: "%.3f", c.priorEntropy) == "0.500")
        #expect(abs(c.priorBiasLoss - c.priorEntropy) < 2e-3)
        #expect(c.priorBiasNegatives == 0 && c.validationCount == 400)
        #expect(c.zeroBiasLoss == r.runs[0].history[0].validLoss)   // the runs' own step 0
    }

    @Test func chapterArithmetic() throws {
        // A batch of 16 with 3 negatives: they carry 7.5 of 15.625, 48% of the weight.
        let (neg, pos) = (3 * 2.5, 13 * 0.625)
        #expect(neg + pos == 15.625 && abs(neg / (neg + pos) - 0.48) < 1e-12)
        // The loss of a model that knows only the 80/20 prior: the entropy of (0.8, 0.2).
        let priorLoss = -(0.8 * log(0.8) + 0.2 * log(0.2))
        #expect(abs(priorLoss - 0.500) < 5e-4)
        // The always-majority macro-F1 for minority share s: (1/2) * 2(1 - s) / (2 - s).
        let s = 0.2
        #expect(abs(majorityScores(try Self.result.get().data).macroF1 - 0.5 * 2 * (1 - s) / (2 - s)) < 1e-12)
        #expect(Settings().reviews.flipProbability == 0.15)
        let over = try Self.result.get().run("higher lr + oversampling").final
        #expect(abs(over.accuracy - 0.885) < 1e-9)
    }

    @Test func tenTimesTheRateIsStillTooSlowUnweighted() throws {
        var settings = Settings()
        settings.higherLearningRate = 1e-4
        let data = LessonData(settings)
        let run = try train(RunConfig(name: "higher lr", learningRate: 1e-4), data: data, settings: settings)
        #expect(run.final.scores.confusion == [[0, 80], [0, 320]])
    }

    @Test func aHundredEpochsAtTheLowRateStillAlwaysPositive() throws {
        var settings = Settings()
        settings.numTrainEpochs = 100
        let data = LessonData(settings)
        let run = try train(RunConfig(name: "baseline", learningRate: 1e-5), data: data, settings: settings)
        #expect(run.final.scores.confusion == [[0, 80], [0, 320]])
    }
}
