import MiniTorch

/// One training run of the lesson: a model size, an optimizer setting and a budget.
///
/// The four canonical runs differ only in these fields; the data set and the seed are shared,
/// so any difference between their curves comes from the setting, not from luck.
public struct RunConfig: Sendable, Equatable {
    public var name: String
    /// Hidden layer widths of the MLP (2 inputs, 2 classes around them).
    public var hiddenSizes: [Int]
    public var learningRate: Float
    public var perDeviceTrainBatchSize: Int
    public var numTrainEpochs: Int
    /// Probability of zeroing a hidden activation while training (0 = no dropout).
    public var dropout: Float = 0
    /// AdamW's decoupled weight decay (0 = none).
    public var weightDecay: Float = 0
    /// Stop after this many evaluations without a new best validation loss, then restore the
    /// best weights (Hugging Face's `EarlyStoppingCallback` + `load_best_model_at_end`); nil = never.
    public var earlyStoppingPatience: Int? = nil

    public init(name: String, hiddenSizes: [Int], learningRate: Float, perDeviceTrainBatchSize: Int,
                numTrainEpochs: Int, dropout: Float = 0, weightDecay: Float = 0, earlyStoppingPatience: Int? = nil) {
        self.name = name
        self.hiddenSizes = hiddenSizes
        self.learningRate = learningRate
        self.perDeviceTrainBatchSize = perDeviceTrainBatchSize
        self.numTrainEpochs = numTrainEpochs
        self.dropout = dropout
        self.weightDecay = weightDecay
        self.earlyStoppingPatience = earlyStoppingPatience
    }
}

/// What one epoch left behind: losses and accuracies on the whole training and validation sets,
/// measured after the epoch's last step with the model in evaluation mode (dropout off).
public struct EpochMetrics: Sendable, Equatable {
    public var epoch: Int
    public var trainLoss: Double
    public var validLoss: Double
    public var trainAccuracy: Double
    public var validAccuracy: Double
}

/// A finished run: its curves and, for an early-stopped run, where it stopped and what it kept.
public struct RunResult: Sendable {
    public var config: RunConfig
    /// One entry per epoch, from epoch 0 (the untrained model): `history[e]` is epoch e.
    public var history: [EpochMetrics]
    /// The trained epoch (1 or later) with the lowest validation loss (the first one, on a tie).
    public var bestEpoch: Int
    /// The epoch after which early stopping ended the run, or nil if it ran its whole budget.
    public var stoppedEpoch: Int?
    /// The validation loss of the model as the run hands it back: the best epoch's weights when
    /// early stopping restored them, otherwise the last epoch's.
    public var finalValidLoss: Double
    public var finalTrainLoss: Double

    public var trainLosses: [Double] { history.map(\.trainLoss) }
    public var validLosses: [Double] { history.map(\.validLoss) }
    public var best: EpochMetrics { history[bestEpoch] }
    public var last: EpochMetrics { history[history.count - 1] }
    /// Validation minus training loss of the model handed back: how much it memorised.
    public var finalGap: Double { finalValidLoss - finalTrainLoss }
}

/// Loss and accuracy of `model` on a whole data set, in evaluation mode and without a graph.
public func evaluate(_ model: Module, on data: TensorDataset) -> (loss: Double, accuracy: Double) {
    model.eval()
    defer { model.train() }
    return noGrad {
        let logits = model(data.features)                     // [N, 2] -> [N, 2]
        let loss = CrossEntropyLoss()(logits, data.labels).item()
        let correct = zip(logits.argmax(axis: -1), data.labels).filter { $0 == $1 }.count
        return (Double(loss), Double(correct) / Double(data.count))
    }
}

/// Trains one MLP on `train`, evaluating on both sets before training (epoch 0) and after
/// every epoch.
///
/// The model's initial weights and its dropout masks come from `Generator(seed:)`, the batch
/// order from the DataLoader's own seed, so the same seed gives the same curves. Early stopping
/// is MiniTorch's `EarlyStoppingCallback`, called here exactly where Hugging Face's Trainer
/// calls it: after each evaluation, with the validation loss as `eval_loss`.
public func train(_ config: RunConfig, train: TensorDataset, validation: TensorDataset, seed: Int,
                  onEpoch: (EpochMetrics) -> Void = { _ in }) throws -> RunResult {
    let generator = Generator(seed: seed)
    let model = MLP(sizes: [2] + config.hiddenSizes + [2], dropout: config.dropout, generator: generator)
    let optimizer = AdamW(parameters: model.parameters(), learningRate: config.learningRate,
                          weightDecay: config.weightDecay)
    let loader = DataLoader(train, batchSize: config.perDeviceTrainBatchSize, shuffle: true, seed: seed)
    let lossFunction = CrossEntropyLoss()
    let earlyStopping = config.earlyStoppingPatience.map { EarlyStoppingCallback(patience: $0) }
    var state = TrainerState()
    var control = TrainerControl()
    var history: [EpochMetrics] = []

    func record(_ epoch: Int) {
        let (trainLoss, trainAccuracy) = evaluate(model, on: train)
        let (validLoss, validAccuracy) = evaluate(model, on: validation)
        let metrics = EpochMetrics(epoch: epoch, trainLoss: trainLoss, validLoss: validLoss,
                                   trainAccuracy: trainAccuracy, validAccuracy: validAccuracy)
        history.append(metrics)
        onEpoch(metrics)
    }
    record(0)   // the untrained model: where both curves start

    // ANCHOR: loop
    for epoch in 1...config.numTrainEpochs {
        model.train()
        for batch in loader.epoch(epoch - 1) {
            let loss = lossFunction(model(batch.inputs), batch.labels)   // [B, 2] logits -> scalar
            state.globalStep += 1
            if !loss.item().isFinite {
                throw TrainingError.nonFinite(quantity: "loss", value: loss.item(), step: state.globalStep,
                                              learningRate: config.learningRate)
            }
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
        }
        state.epoch = Double(epoch)
        record(epoch)
        // Early stopping watches the validation loss after every epoch and keeps a copy of the
        // best weights (HF: eval_strategy="epoch", load_best_model_at_end=True).
        earlyStopping?.onEvaluate(["eval_loss": history[epoch].validLoss], state: state,
                                  control: &control, model: model)
        if control.shouldTrainingStop { break }
    }
    earlyStopping?.onTrainEnd(state: state, model: model)   // puts the best weights back
    // ANCHOR_END: loop

    let trained = history.dropFirst()
    let bestEpoch = trained.min { $0.validLoss < $1.validLoss }!.epoch
    let handedBack = (train: evaluate(model, on: train).loss, valid: evaluate(model, on: validation).loss)
    return RunResult(config: config, history: history, bestEpoch: bestEpoch,
                     stoppedEpoch: control.shouldTrainingStop ? history.count - 1 : nil,
                     finalValidLoss: handedBack.valid, finalTrainLoss: handedBack.train)
}
