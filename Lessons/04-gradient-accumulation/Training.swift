import MiniTorch

/// The three ways the lesson trains the same model on the same data in the same order.
public enum RunKind: String, CaseIterable, Sendable {
    /// The real thing: one batch of per_device_train_batch_size x gradient_accumulation_steps.
    case bigBatch = "big batch"
    /// Micro-batches, each loss weighted by its share of the step's tokens.
    case accumulated = "accumulated (by tokens)"
    /// Micro-batches, each loss divided by the number of steps: the trap.
    case naive = "accumulated (by steps)"

    /// A name without spaces, for the CSV's `run` column.
    public var key: String {
        switch self {
        case .bigBatch: "big_batch"
        case .accumulated: "accumulated"
        case .naive: "naive"
        }
    }
}

/// Per-token loss over a whole corpus, and over its short and long sequences apart.
public struct CorpusLoss {
    public let all: Double
    public let short: Double
    public let long: Double
}

public struct TrainingRun {
    public let kind: RunKind
    /// Per-token loss of each step's effective batch, measured before that step's update.
    public let stepLosses: [Double]
    /// The whole training corpus after the last step.
    public let final: CorpusLoss
    /// The trained model.
    public let model: NextTokenModel
}

/// Sum of token losses divided by the number of tokens, with no gradient recorded.
public func corpusLoss(_ model: NextTokenModel, _ corpus: [TokenSequence]) -> CorpusLoss {
    noGrad {
        func totals(_ sequences: [TokenSequence]) -> (loss: Double, tokens: Int) {
            microBatches(sequences, size: 64).reduce((0.0, 0)) { acc, chunk in
                let batch = PaddedBatch(chunk)
                return (acc.0 + Double(model.loss(batch, reduction: .sum).item()), acc.1 + batch.tokenCount)
            }
        }
        let short = totals(corpus.filter(\.isShort)), long = totals(corpus.filter { !$0.isShort })
        return CorpusLoss(all: (short.loss + long.loss) / Double(short.tokens + long.tokens),
                          short: short.loss / Double(max(short.tokens, 1)),
                          long: long.loss / Double(max(long.tokens, 1)))
    }
}

/// Trains a fresh model (initialised from `config.seed`) with AdamW. Every run draws its data from
/// one seeded DataLoader order, so the big batch of step s holds exactly the sequences of the
/// micro-batches of step s.
public func train(_ kind: RunKind, corpus: [TokenSequence], config: Settings,
                  onStep: (Int, Double) -> Void = { _, _ in }) -> TrainingRun {
    let model = NextTokenModel(generator: Generator(seed: config.seed))
    let optimizer = AdamW(parameters: model.parameters(), learningRate: config.learningRate, weightDecay: 0)
    let bigBatch = kind == .bigBatch
    let loader = DataLoader(SequenceDataset(corpus),
                            batchSize: bigBatch ? config.effectiveBatchSize : config.perDeviceTrainBatchSize,
                            shuffle: true, seed: config.seed) { $0 }
    let gradientAccumulationSteps = bigBatch ? 1 : config.gradientAccumulationSteps
    let normalization: LossNormalization = kind == .naive ? .divideBySteps : .divideByTokens
    var losses: [Double] = []
    for epoch in 0..<config.numTrainEpochs {
        let batches = Array(loader.epoch(epoch))
        for start in stride(from: 0, to: batches.count, by: gradientAccumulationSteps) {
            // ANCHOR: step
            let window = Array(batches[start..<min(start + gradientAccumulationSteps, batches.count)])
            let step = accumulateGradients(model, microBatches: window, normalization: normalization)
            optimizer.step()        // one update per effective batch
            optimizer.zeroGrad()    // only now: the next step starts from zero
            // ANCHOR_END: step
            losses.append(step.loss)
            onStep(losses.count, step.loss)
        }
    }
    return TrainingRun(kind: kind, stepLosses: losses, final: corpusLoss(model, corpus), model: model)
}

// ANCHOR: total-steps
/// Optimizer steps of one run: ceil(batches per epoch / accumulation steps) x epochs. An epoch
/// whose micro-batches do not fill the last window still ends with an update (see `train`).
public func totalSteps(_ config: Settings) -> Int {
    // BEGIN SOLUTION ex04_3
    let batches = (config.datasetSize + config.perDeviceTrainBatchSize - 1) / config.perDeviceTrainBatchSize
    return (batches + config.gradientAccumulationSteps - 1) / config.gradientAccumulationSteps * config.numTrainEpochs
    // END SOLUTION
}
// ANCHOR_END: total-steps
