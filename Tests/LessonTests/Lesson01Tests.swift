import Foundation
import MiniTorch
import Testing
@testable import LearningCurves

/// Every number chapter 01 states, from the same functions the lesson runs (default flags:
/// learning rate 0.02, batch size 32, 30 epochs, seed 42; about half a second in release).
@Suite("Lesson 01: learning curves")
struct Lesson01Tests {
    static let run = LearningCurves.run(Settings())

    @Test func theDataAndTheSteps() {
        let r = Self.run
        #expect(r.trainCount == 480 && r.validCount == 120)
        #expect(r.stepsPerEpoch == 15)
        #expect(r.rows.count == 1 + 15 * 30)   // step 0, then every step
        #expect(r.final.step == 450 && r.final.epoch == 30)
    }

    @Test func lossAtInitialisationIsLnOfTheClassCount() {
        let lnC = log(4.0)
        #expect(abs(lnC - 1.3863) < 1e-4)
        #expect(abs(Self.run.initial.trainLoss / lnC - 1) < 0.05)
        #expect(abs(Self.run.initial.validLoss / lnC - 1) < 0.05)
        // PyTorch's default init on the same network is more than 10% off: confidently wrong.
        #expect(Self.run.defaultInitTrainLoss > 1.10 * lnC)
        // An untrained model is as unsure as a fair choice among 4: perplexity about 4.
        #expect(abs(Self.run.initial.perplexity - 4) < 0.2)
    }

    /// The imbalanced baseline: a model that knows only an 80/20 prior has the loss H(0.8, 0.2),
    /// "0.500 nats", below ln 2 = 0.693.
    @Test func entropyOfThePriorIsTheImbalancedBaseline() {
        let h = -(0.8 * log(0.8) + 0.2 * log(0.2))
        #expect(String(format: "%.3f", h) == "0.500" && String(format: "%.3f", log(2.0)) == "0.693")
        // Softmax of the log-prior logits gives the prior back: its cross-entropy is H(prior).
        let logits = Tensor([Float(log(0.8)), Float(log(0.2))], shape: [1, 2]).expand([10, 2])
        let labels = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1]
        #expect(abs(Double(crossEntropy(logits, labels).item()) - h) < 1e-6)
    }

    @Test func theThresholdExample() {
        let rows = thresholdExample()
        #expect(rows.map(\.probability) == [0.3, 0.4, 0.49, 0.51])
        #expect(abs(rows[0].loss - 1.204) < 0.0005)   // -ln 0.3
        #expect(abs(rows[1].loss - 0.916) < 0.0005)   // -ln 0.4
        #expect(rows[0].loss > rows[1].loss)
        #expect(rows[0].prediction == 0 && rows[1].prediction == 0)
        #expect(rows[0].accuracy == 0 && rows[1].accuracy == 0)
        // Only crossing 0.5 changes the prediction, and with it the accuracy, all at once.
        #expect(rows[2].prediction == 0 && rows[3].prediction == 1 && rows[3].accuracy == 1)
        #expect(abs(rows[2].loss - rows[3].loss) < 0.05)
        for row in rows { #expect(abs(row.loss + log(Double(row.probability))) < 1e-5) }
    }

    @Test func perplexityIsExpOfTheReportedLoss() {
        for row in Self.run.rows {
            #expect(abs(row.perplexity - exp(row.validLoss)) < 1e-12)
        }
        let last = Self.run.final
        #expect(abs(last.perplexity - exp(last.validLoss)) < 1e-12)
        #expect(last.perplexity < 1.6)
    }

    @Test func lossIsSmoothAccuracyIsSteppy() {
        let train = Self.run.trainSteppiness, valid = Self.run.validSteppiness
        #expect(train.intervals == 450)
        // The training loss changed at every step and fell at more than 95% of them.
        #expect(train.lossChanged == train.intervals)
        #expect(Double(train.lossFell) > 0.95 * Double(train.intervals))
        // Accuracy takes few values: at most 1 in 10 of the 451 measurements is a new value.
        #expect(train.distinctAccuracies * 10 < Self.run.rows.count)
        #expect(valid.distinctAccuracies * 10 < Self.run.rows.count)
        #expect(Set(Self.run.rows.map(\.trainLoss)).count == Self.run.rows.count)
        #expect(Set(Self.run.rows.map(\.validLoss)).count == Self.run.rows.count)
        // Where the loss fell, validation accuracy stayed put more than half the time,
        // training accuracy at more than a fifth of the steps.
        #expect(valid.flatWhileLossFell * 2 > valid.intervals)
        #expect(train.flatWhileLossFell * 5 > train.intervals)
    }

    @Test func accuracySettlesLongBeforeTheLoss() {
        let rows = Self.run.rows, first = Self.run.initial, last = Self.run.final
        let epoch5 = rows.first { $0.step == 75 }!
        // From below chance to above 80% within the first 10 steps.
        #expect(first.trainAccuracy < 0.25 && first.validAccuracy < 0.25)
        #expect(rows[10].step == 10 && rows[10].trainAccuracy > 0.8 && rows[10].validAccuracy > 0.8)
        // By epoch 5 validation accuracy is within 2 points of where it ends ...
        #expect(abs(epoch5.validAccuracy - last.validAccuracy) <= 0.02)
        // ... while more than a quarter of the loss's whole fall is still to come.
        #expect((epoch5.validLoss - last.validLoss) / (first.validLoss - last.validLoss) > 0.25)
        // It does not hit 100%: the blobs overlap.
        #expect(last.validAccuracy > 0.8 && last.validAccuracy < 0.9)
        #expect(last.trainAccuracy > 0.8 && last.trainAccuracy < 0.9)
    }

    @Test func trainAndValidationCurvesStayClose() {
        for row in Self.run.rows { #expect(abs(row.trainLoss - row.validLoss) < 0.05) }
        #expect(Self.run.final.trainLoss < 0.4 && Self.run.final.validLoss < 0.4)
    }

    @Test func sameSeedSameCurve() {
        var config = Settings()
        config.numTrainEpochs = 2
        #expect(LearningCurves.run(config).rows == LearningCurves.run(config).rows)
        config.seed = 7
        #expect(LearningCurves.run(config).rows != Self.run.rows.prefix(31).map { $0 })
    }
}
