import Foundation

/// What one batch gives the Trainer: the loss to minimise and, for accuracy, the logits
/// [..., C] and one label per row of them (-100 where there is nothing to predict).
public struct LossOutput {
    public var loss: Tensor
    public var logits: Tensor?
    public var labels: [Int]?

    public init(loss: Tensor, logits: Tensor? = nil, labels: [Int]? = nil) {
        self.loss = loss
        self.logits = logits
        self.labels = labels
    }
}

/// The training losses a run keeps: every optimizer step's, and those since the last log row
/// (a checkpoint saves both).
struct RunLosses {
    var steps: [Float] = []
    var sinceLog: [Float] = []

    mutating func append(_ loss: Float) {
        steps.append(loss)
        sinceLog.append(loss)
    }
}

/// What `train()` returns, as HF's `TrainOutput`: the step count, the mean training loss, the
/// metrics at the end (including the final evaluation) and the full log.
public struct TrainOutput {
    public let globalStep: Int
    /// Mean training loss over every optimizer step (HF `training_loss`).
    public let trainingLoss: Double
    /// "train_loss", "train_runtime", "epoch", and "eval_loss"/"eval_accuracy" of the final
    /// model (after early stopping restored the best weights) when there is an eval set.
    public let metrics: [String: Double]
    /// The training loss of every optimizer step, in order.
    public let stepLosses: [Float]
    public let log: MetricsLog
    /// Whether a callback ended the run before its planned last step.
    public let stoppedEarly: Bool
}

/// The training loop of Hugging Face's `Trainer`, for one model on one machine.
///
/// It owns the routine parts: batching and shuffling the data (seeded by `args.seed`), the
/// optimizer (AdamW by default, no weight decay on biases and LayerNorm) and its schedule,
/// gradient accumulation, clipping, logging, evaluation, callbacks, and stopping on a NaN loss.
/// What the model computes stays with you: `computeLoss` turns a batch into a `LossOutput`.
/// The early lessons write this loop by hand; this is the same loop, packaged.
///
///     let trainer = Trainer(model: mlp, args: args, trainDataset: train, evalDataset: validation)
///     let output = try trainer.train()
public final class Trainer<D: Dataset, B> {
    public let model: Module
    public let args: TrainingArguments
    public let trainDataset: D
    public let evalDataset: D?
    /// Turns a list of examples into a batch (HF `data_collator`).
    public let dataCollator: ([D.Example]) -> B
    /// Forward pass and loss for one batch (HF `compute_loss`).
    public let computeLoss: (B) -> LossOutput
    public var callbacks: [TrainerCallback]
    /// Every random generator the run draws from besides the data order (dropout masks, MLM
    /// masking): a checkpoint saves their states so that a resumed run draws the same numbers.
    public var rngs: [Generator]

    public internal(set) var state = TrainerState()
    public internal(set) var log = MetricsLog()
    /// Built by `train()` from `args` (`createOptimizer()`), unless you set one before.
    public var optimizer: Optimizer?
    public private(set) var schedule: LRSchedule?
    /// The newest checkpoint folder this trainer wrote.
    public internal(set) var lastCheckpoint: URL?
    /// Tests set this to fail a checkpoint write half-way (it runs after model.safetensors is in
    /// the temporary folder, before the rest).
    var checkpointWriteHook: ((URL) throws -> Void)?

    public init(model: Module, args: TrainingArguments, trainDataset: D, evalDataset: D? = nil,
                dataCollator: @escaping ([D.Example]) -> B, computeLoss: @escaping (B) -> LossOutput,
                callbacks: [TrainerCallback] = [], rngs: [Generator] = []) {
        self.model = model
        self.args = args
        self.trainDataset = trainDataset
        self.evalDataset = evalDataset
        self.dataCollator = dataCollator
        self.computeLoss = computeLoss
        self.callbacks = callbacks
        self.rngs = rngs
    }

    /// The loader `train()` uses: shuffled, seeded, `perDeviceTrainBatchSize` per micro-batch.
    public var trainDataLoader: DataLoader<D, B> {
        DataLoader(trainDataset, batchSize: args.perDeviceTrainBatchSize, shuffle: true,
                   dropLast: args.dataloaderDropLast, seed: args.seed, collate: dataCollator)
    }

    /// Optimizer steps per epoch: one per `gradientAccumulationSteps` micro-batches, the last
    /// group of an epoch possibly shorter (HF steps on it too).
    public var updateStepsPerEpoch: Int {
        (trainDataLoader.count + args.gradientAccumulationSteps - 1) / args.gradientAccumulationSteps
    }

    /// The optimizer `args` ask for, with Hugging Face's two parameter groups: weight decay for
    /// `decayParameterNames(model)`, none for the rest. Frozen parameters are left out.
    public func createOptimizer() -> Optimizer {
        let decayNames = decayParameterNames(model)
        let trainable = model.namedParameters().filter { $0.1.requiresGrad }
        let decay = trainable.filter { decayNames.contains($0.0) }.map(\.1)
        let noDecay = trainable.filter { !decayNames.contains($0.0) }.map(\.1)
        func make(_ parameters: [Tensor], weightDecay: Float) -> Optimizer {
            let betas = (args.adamBeta1, args.adamBeta2)
            switch args.optim {
            case .adamw: return AdamW(parameters: parameters, learningRate: args.learningRate, betas: betas, eps: args.adamEpsilon, weightDecay: weightDecay)
            case .adam: return Adam(parameters: parameters, learningRate: args.learningRate, betas: betas, eps: args.adamEpsilon, weightDecay: weightDecay)
            case .sgd: return SGD(parameters: parameters, learningRate: args.learningRate, weightDecay: weightDecay)
            }
        }
        if args.weightDecay == 0 || noDecay.isEmpty { return make(trainable.map(\.1), weightDecay: args.weightDecay) }
        return ParameterGroups([make(decay, weightDecay: args.weightDecay), make(noDecay, weightDecay: 0)])
    }

    /// Runs the whole training. Throws `TrainingError` for invalid arguments, an empty data set,
    /// a loss (or gradient norm) that stops being finite, or a checkpoint that cannot be written
    /// or read; `log` keeps the rows written so far.
    ///
    /// With `args.saveSteps`, writes `checkpoint-<step>/` folders (see `TrainerCheckpoint`).
    /// `resumeFromCheckpoint` loads one into this trainer's model, optimizer, generators and
    /// callbacks and carries on from its step: the rest of the run is the one the interrupted
    /// run would have had, bit for bit, when the arguments and data are the same.
    @discardableResult
    public func train(resumeFromCheckpoint: URL? = nil) throws -> TrainOutput {
        let (loader, optimizer, schedule) = try setUp()
        var losses = RunLosses(), start = (epoch: 0, batch: 0)
        if let resumeFromCheckpoint {   // model, optimizer, generators, callbacks, log and losses as saved
            start = try restore(from: resumeFromCheckpoint, optimizer: optimizer, batchesPerEpoch: loader.count, losses: &losses)
        }
        let startTime = Date(), accumulation = args.gradientAccumulationSteps
        var control = TrainerControl()
        model.train()
        model.zeroGrad()
        // A checkpoint of the last step resumes to a finished run: no epoch is left.
        let epochs = state.globalStep < state.maxSteps ? start.epoch..<Swift.max(start.epoch, state.numTrainEpochs) : 0..<0
        training: for epoch in epochs {
            var stepLoss: Float = 0
            let skipped = epoch == start.epoch ? start.batch : 0   // batches a resumed epoch already did
            for (offset, batch) in loader.epoch(epoch, fromBatch: skipped).enumerated() {
                let index = skipped + offset
                // This micro-batch's group: `accumulation` batches, or fewer at the epoch's end.
                let groupStart = index - index % accumulation
                let groupSize = Swift.min(accumulation, loader.count - groupStart)
                if index == groupStart {
                    optimizer.learningRate = schedule.lr(at: state.globalStep)   // step 0 is the first update
                    stepLoss = 0
                }
                let output = computeLoss(batch)
                let value = output.loss.item()
                if !value.isFinite {
                    throw TrainingError.nonFinite(quantity: "loss", value: value, step: state.globalStep + 1, learningRate: optimizer.learningRate)
                }
                // Each micro-batch adds 1/groupSize of its gradient: the sum is the group's mean.
                (output.loss / Float(groupSize)).backward()
                stepLoss += value / Float(groupSize)
                guard index - groupStart == groupSize - 1 else { continue }

                // The optimizer step, once the group's gradients are all in.
                let gradNorm = try optimizerStep(optimizer)
                state.globalStep += 1
                state.epoch = Double(epoch) + Double(index + 1) / Double(loader.count)
                (state.learningRate, state.loss, state.gradNorm) = (optimizer.learningRate, stepLoss, gradNorm)
                losses.append(stepLoss)
                let finishing = state.globalStep >= state.maxSteps
                let endOfEpoch = index == loader.count - 1 || finishing
                logAndEvaluate(endOfEpoch: endOfEpoch, losses: &losses, control: &control, since: startTime)
                if endOfEpoch { for callback in callbacks { callback.onEpochEnd(state: state, control: &control) } }
                let next = index + 1 == loader.count ? (epoch + 1, 0) : (epoch, index + 1)
                try saveCheckpointIfDue(finishing: finishing, next: next, optimizer: optimizer, losses: losses)
                if finishing || control.shouldTrainingStop { break training }
            }
        }
        return finish(losses: losses, control: control, since: startTime)
    }

    /// Checks the arguments and the data, builds the optimizer and schedule, and starts a fresh
    /// state and log.
    private func setUp() throws -> (DataLoader<D, B>, Optimizer, LRSchedule) {
        if let message = args.validate() { throw TrainingError.invalidArguments(message) }
        let loader = trainDataLoader
        if loader.count == 0 {
            throw TrainingError.emptyDataset("the training set has \(trainDataset.count) examples, fewer than one batch of \(args.perDeviceTrainBatchSize) with dataloaderDropLast")
        }
        let stepsPerEpoch = updateStepsPerEpoch
        let totalSteps = args.maxSteps > 0 ? args.maxSteps : args.numTrainEpochs * stepsPerEpoch
        let optimizer = self.optimizer ?? createOptimizer()
        self.optimizer = optimizer
        let schedule = getScheduler(args.lrSchedulerType, learningRate: args.learningRate,
                                    numWarmupSteps: args.warmupSteps, numTrainingSteps: totalSteps)
        self.schedule = schedule
        state = TrainerState()
        state.maxSteps = totalSteps
        state.numTrainEpochs = (totalSteps + stepsPerEpoch - 1) / stepsPerEpoch
        log = MetricsLog()
        return (loader, optimizer, schedule)
    }

    /// Clips the gradients (`args.maxGradNorm`), steps and zeroes them; returns the norm
    /// before clipping.
    private func optimizerStep(_ optimizer: Optimizer) throws -> Float {
        let clip = args.maxGradNorm ?? 0
        let gradNorm = clipGradNorm(optimizer.parameters, maxNorm: clip > 0 ? clip : .infinity)
        if !gradNorm.isFinite {
            throw TrainingError.nonFinite(quantity: "gradient norm", value: gradNorm, step: state.globalStep + 1, learningRate: optimizer.learningRate)
        }
        optimizer.step()
        optimizer.zeroGrad()
        return gradNorm
    }

    /// After a step: the callbacks' `onStepEnd`, then a log row when one is due (the mean loss
    /// since the last row) and an evaluation when one is due, as HF's `DefaultFlowCallback`.
    private func logAndEvaluate(endOfEpoch: Bool, losses: inout RunLosses, control: inout TrainerControl, since start: Date) {
        let logDue = args.loggingStrategy == .steps ? state.globalStep % args.loggingSteps == 0 : endOfEpoch
        let evalDue = evalDataset != nil && (args.evalSteps.map { state.globalStep % $0 == 0 } ?? endOfEpoch)
        for callback in callbacks { callback.onStepEnd(state: state, control: &control) }
        guard logDue || evalDue else { return }
        var row = MetricsRow(step: state.globalStep, epoch: state.epoch)
        if logDue {
            row.lr = Double(state.learningRate)
            row.loss = Double(losses.sinceLog.reduce(0, +) / Float(losses.sinceLog.count))
            row.gradNorm = state.gradNorm.map(Double.init)
            losses.sinceLog.removeAll()
        }
        if evalDue {
            let metrics = evaluate()
            row.evalLoss = metrics["eval_loss"]
            row.accuracy = metrics["eval_accuracy"]
            for callback in callbacks { callback.onEvaluate(metrics, state: state, control: &control, model: model) }
        }
        if args.logSeconds { row.seconds = Date().timeIntervalSince(start) }
        log.append(row)
        for callback in callbacks { callback.onLog(row, state: state, control: &control) }
    }

    /// The callbacks' `onTrainEnd`, a final evaluation, and the run's figures.
    private func finish(losses: RunLosses, control: TrainerControl, since start: Date) -> TrainOutput {
        for callback in callbacks { callback.onTrainEnd(state: state, model: model) }
        let runtime = Date().timeIntervalSince(start)
        let trainingLoss = Double(losses.steps.reduce(0, +)) / Double(Swift.max(losses.steps.count, 1))
        var metrics: [String: Double] = ["train_loss": trainingLoss, "train_runtime": runtime, "epoch": state.epoch]
        // Evaluate the model as it leaves training (early stopping may have restored older weights).
        if evalDataset != nil {
            for (key, value) in evaluate() { metrics[key] = value }
        }
        return TrainOutput(globalStep: state.globalStep, trainingLoss: trainingLoss, metrics: metrics, stepLosses: losses.steps,
                           log: log, stoppedEarly: control.shouldTrainingStop && state.globalStep < state.maxSteps)
    }

    /// Loss and accuracy on `dataset` (the eval set by default), in evaluation mode (dropout
    /// off) and without a graph, as HF's `trainer.evaluate()`: ["eval_loss", "eval_accuracy"].
    ///
    /// The loss is a weighted mean of batch losses, each weighted by its number of labels other
    /// than -100 (the batch size for a classifier, the masked tokens for masked-LM), so it is
    /// the mean over examples (or tokens), not a mean of batch means.
    public func evaluate(_ dataset: D? = nil) -> [String: Double] {
        guard let dataset = dataset ?? evalDataset else { fail("Trainer.evaluate: no evaluation data set was given") }
        let wasTraining = model.training
        model.eval()
        defer { model.train(wasTraining) }
        let loader = DataLoader(dataset, batchSize: args.perDeviceEvalBatchSize, collate: dataCollator)
        var lossSum = 0.0, weightSum = 0.0, correct = 0.0, counted = 0.0
        noGrad {
            for batch in loader {
                let output = computeLoss(batch)
                let labels = output.labels ?? []
                let kept = labels.filter { $0 != -100 }.count
                let weight = Double(labels.isEmpty ? 1 : kept)
                if weight > 0 {
                    lossSum += Double(output.loss.item()) * weight
                    weightSum += weight
                }
                if let logits = output.logits, kept > 0 {
                    correct += accuracy(logits: logits, labels: labels) * Double(kept)
                    counted += Double(kept)
                }
            }
        }
        var metrics = ["eval_loss": weightSum > 0 ? lossSum / weightSum : .nan]
        if counted > 0 { metrics["eval_accuracy"] = correct / counted }
        return metrics
    }
}

extension Trainer where D.Example == LabeledExample, B == Batch {
    /// A classifier on a labelled data set: batches stacked by `Batch.collate`, logits from
    /// `model(batch.inputs)`, cross-entropy loss (pass a `CrossEntropyLoss` with class weights
    /// or label smoothing to change it).
    public convenience init(model: Module, args: TrainingArguments, trainDataset: D, evalDataset: D? = nil,
                            lossFunction: CrossEntropyLoss = CrossEntropyLoss(), callbacks: [TrainerCallback] = [],
                            rngs: [Generator] = []) {
        self.init(model: model, args: args, trainDataset: trainDataset, evalDataset: evalDataset,
                  dataCollator: Batch.collate,
                  computeLoss: { batch in
                      let logits = model(batch.inputs)   // [B, features] -> [B, classes]
                      return LossOutput(loss: lossFunction(logits, batch.labels), logits: logits, labels: batch.labels)
                  },
                  callbacks: callbacks, rngs: rngs)
    }
}
