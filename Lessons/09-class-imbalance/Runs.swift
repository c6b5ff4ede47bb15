import MiniTorch

/// How the loss treats the classes, as the `--class-weights` flag names it.
public enum ClassWeighting: String, CaseIterable, Sendable {
    /// Plain cross-entropy: every example counts the same, so the majority dominates.
    case none
    /// scikit-learn's "balanced" weights, n_samples / (n_classes x count), in the loss.
    case balanced
}

/// One training run: a learning rate, a loss weighting and whether the minority is oversampled.
public struct RunConfig: Sendable, Equatable {
    public var name: String
    public var learningRate: Float
    public var classWeights: ClassWeighting
    public var oversample: Bool

    public init(name: String, learningRate: Float, classWeights: ClassWeighting = .none, oversample: Bool = false) {
        self.name = name
        self.learningRate = learningRate
        self.classWeights = classWeights
        self.oversample = oversample
    }
}

/// The validation scores of one epoch (epoch 0 is the untrained model).
public struct EpochMetrics: Sendable, Equatable {
    public var epoch: Int
    /// Mean training loss over the epoch's batches (as weighted in training); nil for epoch 0.
    public var trainLoss: Double?
    /// Plain (unweighted) cross-entropy on the validation set.
    public var validLoss: Double
    public var scores: ClassificationMetrics

    public var accuracy: Double { scores.accuracy }
    public var minorityRecall: Double { scores.recall[Sentiment.negative.rawValue] }
    public var minorityPrecision: Double { scores.precision[Sentiment.negative.rawValue] }
    public var minorityF1: Double { scores.f1[Sentiment.negative.rawValue] }
    public var macroF1: Double { scores.macroF1 }
}

public struct RunResult: Sendable {
    public var config: RunConfig
    /// Epoch 0 (before training), then one entry per epoch.
    public var history: [EpochMetrics]
    /// The class weights the loss used (all 1 without weighting).
    public var classWeights: [Float]
    /// Training examples per epoch (more when the minority is oversampled) and steps per epoch.
    public var trainCount: Int
    public var stepsPerEpoch: Int

    public var final: EpochMetrics { history[history.count - 1] }
}

/// The data every run sees: a stratified 80/20 split of the reviews.
public struct LessonData: Sendable {
    public var all: ReviewDataset
    public var train: ReviewDataset
    public var validation: ReviewDataset
    public var tokenizer: WordTokenizer

    // ANCHOR: split
    public init(_ settings: Settings) {
        tokenizer = reviewTokenizer()
        all = makeReviews(settings.reviews, tokenizer: tokenizer, seed: settings.seed)
        // Stratified: each class gives 20% of its own reviews to validation, so both sets keep
        // the 80/20 mix and the 80 negative validation reviews are there to be found.
        let split = stratifiedSplit(labels: all.labels, validationFraction: settings.validationFraction,
                                    seed: settings.seed)
        train = all.subset(split.train)
        validation = all.subset(split.validation)
    }
    // ANCHOR_END: split
}

/// Predictions and validation scores of `model` on `data`, without a graph.
public func evaluate(_ model: ReviewClassifier, on data: ReviewDataset) -> (loss: Double, scores: ClassificationMetrics) {
    noGrad {
        let batch = ReviewBatch.collate(data.reviews)
        let logits = model(batch)                                     // [N, 2]
        let loss = CrossEntropyLoss()(logits, batch.labels).item()
        let scores = precisionRecallFScoreSupport(labels: batch.labels, predictions: logits.argmax(axis: -1),
                                                  numClasses: Sentiment.allCases.count)
        return (Double(loss), scores)
    }
}

/// Trains a fresh classifier (same initial weights in every run: they come from the seed) and
/// scores it on the validation set before training and after every epoch.
public func train(_ config: RunConfig, data: LessonData, settings: Settings,
                  onEpoch: (EpochMetrics) -> Void = { _ in }) throws -> RunResult {
    let numLabels = Sentiment.allCases.count
    let model = ReviewClassifier(vocabSize: data.tokenizer.vocabSize, hiddenSize: settings.hiddenSize,
                                 numLabels: numLabels, generator: Generator(seed: settings.seed))
    let trainSet = config.oversample
        ? data.train.subset(oversample(data.train.labels, numClasses: numLabels, seed: settings.seed))
        : data.train
    // ANCHOR: weights
    let weights = config.classWeights == .balanced
        ? computeClassWeights(labels: trainSet.labels, numClasses: numLabels)   // 80/20 -> [2.5, 0.625]
        : [Float](repeating: 1, count: numLabels)
    let lossFunction = CrossEntropyLoss(weight: Tensor(weights, shape: [numLabels]))
    // ANCHOR_END: weights
    let optimizer = AdamW(parameters: model.parameters(), learningRate: config.learningRate,
                          weightDecay: settings.weightDecay)
    let loader = DataLoader(trainSet, batchSize: settings.perDeviceTrainBatchSize, shuffle: true,
                            seed: settings.seed, collate: ReviewBatch.collate)

    func record(_ epoch: Int, trainLoss: Double?) -> EpochMetrics {
        let (validLoss, scores) = evaluate(model, on: data.validation)
        let metrics = EpochMetrics(epoch: epoch, trainLoss: trainLoss, validLoss: validLoss, scores: scores)
        onEpoch(metrics)
        return metrics
    }
    var history = [record(0, trainLoss: nil)]
    var step = 0
    for epoch in 1...settings.numTrainEpochs {
        var total = 0.0
        for batch in loader.epoch(epoch - 1) {
            let loss = lossFunction(model(batch), batch.labels)      // [B, 2] logits -> scalar
            step += 1
            if !loss.item().isFinite {
                throw TrainingError.nonFinite(quantity: "loss", value: loss.item(), step: step,
                                              learningRate: config.learningRate)
            }
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            total += Double(loss.item())
        }
        history.append(record(epoch, trainLoss: total / Double(loader.count)))
    }
    return RunResult(config: config, history: history, classWeights: weights, trainCount: trainSet.count,
                     stepsPerEpoch: loader.count)
}
