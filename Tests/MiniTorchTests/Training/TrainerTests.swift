import Foundation
import Testing
@testable import MiniTorch

@Suite("Trainer")
struct TrainerTests {
    /// 4 well separated blobs, 160 for training and 80 held out, and a small MLP.
    func blobsSetup(seed: Int = 0) -> (model: MLP, train: TensorDataset, validation: TensorDataset) {
        let data = SyntheticData.blobs(count: 240, classes: 4, spread: 0.5, generator: Generator(seed: 11))
        let (train, validation) = trainValidationSplit(count: data.count, validationFraction: 1.0 / 3, seed: 3)
        func take(_ indices: [Int]) -> TensorDataset {
            let examples = indices.map { data[$0] }
            return TensorDataset(features: Batch.collate(examples).inputs, labels: examples.map(\.label))
        }
        let model = MLP(sizes: [2, 16, 4], generator: Generator(seed: seed))
        return (model, take(train), take(validation))
    }

    @Test func tinyMLPLearnsBlobs() throws {
        let (model, train, validation) = blobsSetup()
        let args = TrainingArguments(numTrainEpochs: 10, perDeviceTrainBatchSize: 16, learningRate: 1e-2, loggingSteps: 10)
        let trainer = Trainer(model: model, args: args, trainDataset: train, evalDataset: validation)
        let output = try trainer.train()
        #expect(output.globalStep == 100)                   // 160 / 16 = 10 steps an epoch, 10 epochs
        // Loss at initialisation is about ln 4 = 1.39; after training it falls at least 5-fold.
        let first = output.stepLosses[0], last = output.stepLosses.suffix(10).reduce(0, +) / 10
        #expect(abs(first - logf(4)) < 0.4 * logf(4))
        #expect(last < first / 5, "first \(first), last \(last)")
        #expect(output.metrics["eval_accuracy"]! > 0.95)
        #expect(output.metrics["eval_loss"]! < 0.3)
        // 10 logging rows (every 10 steps) with evaluations at the ends of epochs (same steps here).
        #expect(output.log.rows.count == 10)
        #expect(output.log.rows.map(\.step) == Array(stride(from: 10, through: 100, by: 10)))
        #expect(output.log.rows.allSatisfy { $0.loss != nil && $0.evalLoss != nil && $0.gradNorm != nil })
        #expect(output.log.rows.last?.epoch == 10)
        // The linear schedule ends near 0: the last logged lr is 1e-2 * (1 - 99/100).
        #expect(abs(output.log.rows.last!.lr! - 1e-4) < 1e-7)
    }

    @Test func sameSeedSameLosses() throws {
        func run() throws -> [Float] {
            let (model, train, _) = blobsSetup(seed: 5)
            let args = TrainingArguments(numTrainEpochs: 3, perDeviceTrainBatchSize: 8, learningRate: 3e-3, seed: 9)
            return try Trainer(model: model, args: args, trainDataset: train).train().stepLosses
        }
        let a = try run(), b = try run()
        #expect(a.count == 60)
        #expect(a == b)   // bit for bit
        let (model, train, _) = blobsSetup(seed: 5)
        let other = try Trainer(model: model, args: TrainingArguments(numTrainEpochs: 3, perDeviceTrainBatchSize: 8, learningRate: 3e-3, seed: 10),
                                trainDataset: train).train().stepLosses
        #expect(other != a)   // another data order
    }

    @Test func gradientAccumulationMatchesTheBigBatch() throws {
        // Batch 16 in one go, or 4 micro-batches of 4: the same examples per step (the order
        // depends only on the seed), so the same updates up to rounding.
        func run(batch: Int, accumulation: Int) throws -> [Float] {
            let (model, train, _) = blobsSetup(seed: 2)
            let args = TrainingArguments(numTrainEpochs: 2, perDeviceTrainBatchSize: batch, learningRate: 0.1,
                                         gradientAccumulationSteps: accumulation, maxGradNorm: nil, optim: .sgd)
            return try Trainer(model: model, args: args, trainDataset: train).train().stepLosses
        }
        let big = try run(batch: 16, accumulation: 1), small = try run(batch: 4, accumulation: 4)
        #expect(big.count == 20 && small.count == 20)
        #expect(zip(big, small).allSatisfy { abs($0 - $1) < 1e-5 })
        // 160 / 16 = 10 micro-batches of 16 with accumulation 3: groups of 3, 3, 3, 1.
        let (model, train, _) = blobsSetup()
        let trainer = Trainer(model: model, args: TrainingArguments(numTrainEpochs: 1, perDeviceTrainBatchSize: 16, gradientAccumulationSteps: 3), trainDataset: train)
        #expect(trainer.updateStepsPerEpoch == 4)
        #expect(try trainer.train().globalStep == 4)
    }

    @Test func maxStepsCutsTheRunShort() throws {
        let (model, train, validation) = blobsSetup()
        let args = TrainingArguments(numTrainEpochs: 5, perDeviceTrainBatchSize: 16, learningRate: 1e-2, maxSteps: 15)
        let output = try Trainer(model: model, args: args, trainDataset: train, evalDataset: validation).train()
        #expect(output.globalStep == 15)
        #expect(output.metrics["epoch"] == 1.5)
        // Evaluated at the end of epoch 1 and where the run stopped.
        #expect(output.log.rows.map(\.step) == [10, 15])
    }

    @Test func hugeLearningRateStopsWithOneLine() throws {
        let (model, train, _) = blobsSetup()
        let args = TrainingArguments(numTrainEpochs: 5, perDeviceTrainBatchSize: 16, learningRate: 1e18, lrSchedulerType: .constant,
                                     maxGradNorm: nil, optim: .sgd)
        let trainer = Trainer(model: model, args: args, trainDataset: train)
        do {
            try trainer.train()
            Issue.record("a learning rate of 1e18 should diverge")
        } catch let error as TrainingError {
            let text = error.description
            #expect(!text.contains("\n"))
            #expect(text.hasSuffix("(learning rate 1e+18); try a lower --learning-rate"), "\(text)")
            guard case let .nonFinite(_, _, step, _) = error else { Issue.record("\(error)"); return }
            #expect(step >= 2 && step <= 50)
            #expect(trainer.state.globalStep == step - 1)   // the step that failed was not taken
        }
    }

    @Test func nanAtStep37NamesStep37() {
        let (model, train, _) = blobsSetup()
        var calls = 0
        let trainer = Trainer(model: model, args: TrainingArguments(numTrainEpochs: 10, perDeviceTrainBatchSize: 16, learningRate: 3, lrSchedulerType: .constant),
                              trainDataset: train, dataCollator: Batch.collate) { batch in
            calls += 1
            let loss = crossEntropy(model(batch.inputs), batch.labels)
            return LossOutput(loss: calls == 37 ? loss * Float.nan : loss)
        }
        #expect(throws: TrainingError.nonFinite(quantity: "loss", value: .nan, step: 37, learningRate: 3)) { try trainer.train() }
        #expect(TrainingError.nonFinite(quantity: "loss", value: .nan, step: 37, learningRate: 3).description
                == "loss became NaN at step 37 (learning rate 3.0); try a lower --learning-rate")
    }

    @Test func invalidArgumentsAreThrownNotRun() {
        let (model, train, _) = blobsSetup()
        let trainer = Trainer(model: model, args: TrainingArguments(perDeviceTrainBatchSize: 0), trainDataset: train)
        #expect(throws: TrainingError.invalidArguments("perDeviceTrainBatchSize must be at least 1 (got 0)")) { try trainer.train() }
    }

    @Test func earlyStoppingInsideTheTrainerRestoresTheFirstEvaluation() throws {
        // A threshold no change can beat: the first evaluation stays the best, patience 2 stops
        // after evaluation 3 (epoch 3), and the final model is the one of epoch 1.
        let (model, train, validation) = blobsSetup()
        let stopper = EarlyStoppingCallback(patience: 2, threshold: 100)
        var steps: [Int] = []
        let progress = ProgressCallback(onStep: { steps.append($0.globalStep) })
        let args = TrainingArguments(numTrainEpochs: 10, perDeviceTrainBatchSize: 16, learningRate: 1e-2, loggingStrategy: .epoch)
        let output = try Trainer(model: model, args: args, trainDataset: train, evalDataset: validation, callbacks: [stopper, progress]).train()
        #expect(output.stoppedEarly)
        #expect(output.globalStep == 30 && steps == Array(1...30))
        #expect(stopper.bestStep == 10 && stopper.bestEpoch == 1 && stopper.stoppedAtStep == 30)
        #expect(output.log.rows.map(\.epoch) == [1, 2, 3])
        #expect(output.metrics["eval_loss"] == stopper.bestValue)
        #expect(output.log.rows[2].evalLoss! < output.log.rows[0].evalLoss!)   // it did improve; the threshold ignored it
    }

    @Test func weightDecaySkipsBiasesAndLayerNorm() {
        final class Block: Module {
            let dense = Linear(inFeatures: 3, outFeatures: 3, generator: Generator(seed: 1))
            let norm = LayerNorm(3)
            let head = Linear(inFeatures: 3, outFeatures: 2, bias: false, generator: Generator(seed: 2))
        }
        #expect(decayParameterNames(Block()) == ["dense.weight", "head.weight"])
        let (model, train, _) = blobsSetup()
        let trainer = Trainer(model: model, args: TrainingArguments(weightDecay: 0.01), trainDataset: train)
        let groups = trainer.createOptimizer() as? ParameterGroups
        #expect(groups?.groups.map(\.parameters.count) == [2, 2])
        #expect((groups?.groups[1] as? AdamW)?.weightDecay == 0)
        #expect(trainer.createOptimizer().parameters.count == 4)
    }
}
