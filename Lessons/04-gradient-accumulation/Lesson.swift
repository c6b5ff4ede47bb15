import MiniTorch
import Workbook

/// The knobs, in Hugging Face's words.
public struct Settings: SeededSettings {
    public var learningRate: Float = 1e-2
    public var perDeviceTrainBatchSize = 8
    public var gradientAccumulationSteps = 4
    public var numTrainEpochs = 5
    public var seed = 42
    /// Sequences in the training corpus.
    public var datasetSize = 384

    public init() {}

    /// per_device_train_batch_size x gradient_accumulation_steps: the batch one update sees.
    public var effectiveBatchSize: Int { perDeviceTrainBatchSize * gradientAccumulationSteps }

    public func validate() throws {
        try check(effectiveBatchSize <= datasetSize,
                  "--per-device-train-batch-size x --gradient-accumulation-steps (\(effectiveBatchSize)) must not exceed the \(datasetSize) training sequences")
    }
}

/// Everything the chapter shows, from one call (the executable and the tests make the same call).
public struct LessonResult {
    public let config: Settings
    /// Part 1: equal-length sequences, each micro-batch loss divided by k.
    public let equalLength: GradientComparison
    /// Summing the micro-batch losses without the 1/k: how many times too large the gradient is.
    public let unscaledRatio: Double
    /// Part 2: peak memory of one step at each micro-batch size.
    public let memory: [MemoryRow]
    public let parameterBytes: Int
    /// Part 3: the first effective batch of the training order (sequences of unequal length),
    /// at initialisation and with the big-batch run's trained model.
    public let trapAtInit: TrapComparison
    public let trapTrained: TrapComparison
    /// Part 4: the three training runs, in `RunKind.allCases` order.
    public let runs: [TrainingRun]

    public func run(_ kind: RunKind) -> TrainingRun { runs.first { $0.kind == kind }! }

    /// Largest per-step difference between a run's loss curve and the big batch's.
    public func curveDifference(_ kind: RunKind) -> Double {
        zip(run(kind).stepLosses, run(.bigBatch).stepLosses).map { abs($0 - $1) }.max() ?? 0
    }
}

/// One effective batch of unequal-length sequences, accumulated both ways.
public struct TrapComparison {
    public let dividedBySteps: GradientComparison
    public let dividedByTokens: GradientComparison

    public init(_ model: NextTokenModel, _ batch: [TokenSequence], microBatchSize: Int) {
        dividedBySteps = compareWithFullBatch(model, batch, microBatchSize: microBatchSize, normalization: .divideBySteps)
        dividedByTokens = compareWithFullBatch(model, batch, microBatchSize: microBatchSize, normalization: .divideByTokens)
    }

    /// Mean of micro-batch means minus the per-token mean of the full batch.
    public var lossDifference: Double { dividedBySteps.accumulatedLoss - dividedBySteps.fullBatchLoss }
}

/// Length of every sequence in the equal-length batch of parts 1 and 2.
public let equalSequenceLength = 32

/// The training corpus: sequences of unequal length, drawn from the seed.
public func makeCorpus(_ config: Settings) -> [TokenSequence] {
    SequenceCorpus.make(count: config.datasetSize, generator: Generator(seed: config.seed + 1))
}

/// The lesson from start to end with one configuration: the gradient check, the memory table,
/// the trap before and after training, and the three training runs.
public func run(_ config: Settings, progress: LessonProgress = .silent) -> LessonResult {
    let micro = config.perDeviceTrainBatchSize
    let model = NextTokenModel(generator: Generator(seed: config.seed))

    // 1. Same gradient: every sequence the same length, so 1/k is each micro-batch's token share.
    let equal = SequenceCorpus.make(count: config.effectiveBatchSize, equalLength: equalSequenceLength,
                                    generator: Generator(seed: config.seed + 2))
    let equalLength = compareWithFullBatch(model, equal, microBatchSize: micro, normalization: .divideBySteps)
    let unscaled = unscaledGradientRatio(model, equal, microBatchSize: micro)

    // 2. Less memory: the same batch at smaller and smaller micro-batches.
    let memory = measurePeakMemory(model, batch: equal, microBatchSizes: halvingSizes(of: config.effectiveBatchSize))

    // 3. The trap: the first effective batch the training runs will see.
    let corpus = makeCorpus(config)
    let loader = DataLoader(SequenceDataset(corpus), batchSize: config.effectiveBatchSize, shuffle: true,
                            seed: config.seed) { $0 }
    let first = loader.batchIndices(epoch: 0)[0].map { corpus[$0] }
    let trapAtInit = TrapComparison(model, first, microBatchSize: micro)

    // 4. Training: same seed, same data order, three ways.
    let steps = totalSteps(config) * RunKind.allCases.count
    var done = 0
    let runs = RunKind.allCases.map { kind in
        train(kind, corpus: corpus, config: config) { _, loss in
            done += 1
            progress.update("training 3 runs", step: done, of: steps, metrics: [kind.key + "_loss": loss])
        }
    }
    let trapTrained = TrapComparison(runs[0].model, first, microBatchSize: micro)
    return LessonResult(config: config, equalLength: equalLength, unscaledRatio: unscaled, memory: memory,
                        parameterBytes: parameterBytes(model), trapAtInit: trapAtInit, trapTrained: trapTrained,
                        runs: runs)
}
