import Foundation
import MiniTorch
import Testing
import Workbook
@testable import Overfitting

/// Lesson 05's claims, from the same function the executable calls, at its default settings
/// (a few seconds of training in release).
@Suite("Lesson 05: overfitting")
struct Lesson05Tests {
    static let result = Result { try Overfitting.run(Settings()) }

    @Test func diagnoseLabelsTheFourCanonicalRuns() {
        let n = 30
        let epochs = (0..<n).map(Double.init)
        // Well-fit: both fall and level off together.
        let wellTrain = epochs.map { Float(0.2 + 0.8 * exp(-$0 / 5)) }
        let wellValidation = epochs.map { Float(0.25 + 0.75 * exp(-$0 / 5)) }
        // Overfit: training keeps falling; validation bottoms out at epoch 10 and climbs.
        let overTrain = epochs.map { Float(0.02 + 0.98 * exp(-$0 / 6)) }
        let overValidation = epochs.map { Float(0.5 + 0.5 * exp(-$0 / 3) + ($0 > 10 ? 0.015 * ($0 - 10) : 0)) }
        // Underfit: stuck near ln 2.
        let underTrain = epochs.map { Float(0.693 - 0.05 * (1 - exp(-$0 / 10))) }
        let underValidation = underTrain.map { $0 + 0.01 }
        // Erratic: a too-high learning rate bounces around.
        let bounce: [Float] = [0.3, -0.25, 0.35, -0.2, 0.1, -0.3]
        let erraticTrain = (0..<n).map { 0.9 + bounce[$0 % bounce.count] }
        let erraticValidation = (0..<n).map { 1.0 + bounce[($0 + 2) % bounce.count] }

        #expect(diagnose(train: wellTrain, validation: wellValidation).kind == .wellFit)
        let over = diagnose(train: overTrain, validation: overValidation)
        #expect(over.kind == .overfit)
        #expect(over.reason.hasPrefix("validation loss was lowest at point 11 of 30"), "\(over)")
        #expect(diagnose(train: underTrain, validation: underValidation).kind == .underfit)
        #expect(diagnose(train: erraticTrain, validation: erraticValidation).kind == .erratic)
        #expect(diagnose(train: [1, .nan, 2], validation: [1, 1, 1]).kind == .erratic)
        // Mini-batch noise on a clearly falling curve is not "erratic".
        let g = Generator(seed: 4)
        let noisyWell = wellTrain.map { $0 + 0.02 * g.normal() }
        #expect(diagnose(train: noisyWell, validation: wellValidation).kind == .wellFit)
        #expect(!diagnose(train: wellTrain, validation: wellValidation).reason.contains("\n"))
    }

    @Test func diagnoseLabelsTheFourRunsCorrectly() throws {
        let result = try Self.result.get()
        #expect(result.runs.map(\.name) == ["overfit", "underfit", "erratic", "well-fit"])
        for run in result.runs {
            #expect(run.diagnosis.kind.rawValue == run.name, "\(run.name): \(run.diagnosis)")
        }
        // The reasons the table prints.
        #expect(result.runs[0].diagnosis.reason
            == "validation loss was lowest at point 23 of 201 (0.564) and rose 27% by the end while training loss fell from 0.483 to 0.414")
        #expect(result.runs[1].diagnosis.reason == "training loss only fell from 0.698 to 0.652 (94% of its start)")
        #expect(result.runs[2].diagnosis.reason
            == "training loss jumps by 0.018 around its trend (3% of its level, 11% of its drop)")
        #expect(result.runs[3].diagnosis.reason
            == "training loss fell to 73% of its start and validation loss ends within 0% of its minimum")
    }

    @Test func overfitValidationTurnsUpWhileTrainingKeepsFalling() throws {
        let run = try Self.result.get().overfit
        #expect(run.history.count == 201)                      // epochs 0...200
        let model = MLP(sizes: [2, 128, 128, 2], generator: Generator(seed: 1))
        #expect(model.parameterCount() == 17_154)
        #expect(run.bestEpoch == 31)
        #expect(abs(run.best.validLoss - 0.5542) < 5e-4)
        #expect(abs(run.last.validLoss - 0.711) < 5e-4)
        #expect(abs(run.last.trainLoss - 0.414) < 5e-4)
        // After the best epoch, training loss keeps falling: lower at the end than at the best.
        #expect(run.last.trainLoss < run.best.trainLoss - 0.05)
        #expect(abs(run.finalGap - 0.297) < 5e-4)
    }

    @Test func underfitBothLossesStayHigh() throws {
        let run = try Self.result.get().run("underfit")
        #expect(run.history.allSatisfy { $0.trainLoss > 0.64 && $0.validLoss > 0.64 })
        #expect(abs(run.last.trainLoss - 0.651) < 5e-4 && abs(run.last.validLoss - 0.653) < 5e-4)
    }

    @Test func erraticCurvesAreJagged() throws {
        let result = try Self.result.get()
        // Mean absolute change from one epoch to the next, after the first 10 epochs.
        func jitter(_ losses: [Double]) -> Double {
            let v = Array(losses.dropFirst(10))
            return zip(v, v.dropFirst()).map { abs($1 - $0) }.reduce(0, +) / Double(v.count - 1)
        }
        let erratic = result.run("erratic"), overfit = result.overfit
        #expect(jitter(erratic.trainLosses) > 9 * jitter(overfit.trainLosses))
        #expect(jitter(erratic.validLosses) > 2.5 * jitter(overfit.validLosses))
        // Its best epoch is a lucky one: even a little below the overfit run's best.
        #expect(abs(result.run("erratic").best.validLoss - 0.547) < 5e-4)
        #expect(result.run("erratic").best.validLoss < result.overfit.best.validLoss)
    }

    @Test func earlyStoppingStopsAndRestoresTheBestWeights() throws {
        let result = try Self.result.get()
        let run = result.wellFit
        #expect(run.config.earlyStoppingPatience == 3)
        #expect(run.bestEpoch == 11)
        #expect(run.stoppedEpoch == 14)                        // 11 + patience 3
        #expect(run.history.count == 15)                       // epochs 0...14
        #expect(abs(run.best.validLoss - 0.5794) < 5e-5)
        // The model handed back is the best epoch's, not the last epoch's.
        #expect(run.finalValidLoss == run.best.validLoss)
        #expect(run.finalTrainLoss == run.best.trainLoss)
        #expect(run.last.validLoss != run.best.validLoss)
        // Without early stopping the same settings retrace the same curve up to epoch 14.
        #expect(Array(result.regularized.history.prefix(15)) == run.history)
    }

    @Test func dropoutAndWeightDecayNarrowTheGap() throws {
        let result = try Self.result.get()
        #expect(abs(result.regularized.finalGap - 0.071) < 5e-4)
        #expect(abs(result.gapNarrowing - 0.226) < 5e-4)
        #expect(abs(result.wellFit.finalGap - 0.061) < 5e-4)
    }

    @Test func sameSeedSameCurvesOtherSeedOtherCurves() throws {
        let data = noisySpirals(seed: 42), again = noisySpirals(seed: 42), other = noisySpirals(seed: 7)
        #expect(data.train.features.scalars == again.train.features.scalars)
        #expect(data.train.labels == again.train.labels)
        #expect(data.train.features.scalars != other.train.features.scalars)
        #expect(data.train.count == 200 && data.validation.count == 200)
        var config = Settings().overfit
        config.numTrainEpochs = 5
        let a = try train(config, train: data.train, validation: data.validation, seed: 42)
        let b = try train(config, train: data.train, validation: data.validation, seed: 42)
        #expect(a.history == b.history)
    }

    @Test func metricsCSVHasOneRowPerRunAndEpoch() throws {
        let result = try Self.result.get()
        let table = metricsTable(result)
        #expect(table.header == ["run", "epoch", "train_loss", "valid_loss", "train_accuracy", "valid_accuracy"])
        #expect(table.rows.count == 201 * 3 + 15 + 201)        // three full runs, well-fit, regularized
        #expect(table.rows.filter { $0[0] == "well-fit" }.map { $0[1] } == (0...14).map(String.init))
    }
}
