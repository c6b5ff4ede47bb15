import Foundation
import MiniTorch

/// Everything one pretraining run depends on, with Hugging Face's names. The defaults are the
/// lesson's run: the tiny encoder of `RobertaConfig.tiny` (hidden 64, 2 layers, 4 heads,
/// feed-forward 256, sequences up to 32 tokens) on 3,600 training sentences.
public struct PretrainingSettings: Sendable, Equatable, Codable {
    public var learningRate: Float = 3e-3
    public var perDeviceTrainBatchSize = 32
    public var numTrainEpochs = 20
    /// When set, the run stops after this many updates instead (HF's `max_steps`).
    public var maxSteps: Int? = nil
    public var warmupSteps = 100
    public var weightDecay: Float = 0.01
    /// RoBERTa trained with beta2 = 0.98 (BERT: 0.999): a shorter memory of squared gradients.
    public var adamBeta2: Float = 0.98
    public var mlmProbability = 0.15
    public var seed = 42
    /// Sentences in the corpus, and the share held out for validation.
    public var corpusSize = 4000
    public var validationFraction = 0.1
    /// The share of sentences that state facts ("the capital of france is paris ."); the rest
    /// are grammar ("the small dogs run in the park .").
    public var factShare = 0.75
    /// The model, as `RobertaConfig` names its sizes.
    public var hiddenSize = 64
    public var numHiddenLayers = 2
    public var numAttentionHeads = 4
    public var intermediateSize = 256
    public var maxSeqLength = 32
    /// No dropout: the point is to memorise a small world of facts, not to generalise past it.
    public var dropout: Float = 0
    public var initializerRange: Float = 0.02
    /// Validation loss is measured every `evalSteps` updates (and before the first).
    public var evalSteps = 100

    public init() {}

    /// The corpus these settings describe.
    public func corpus() -> MLMCorpus {
        MLMCorpus(seed: seed, count: corpusSize, validationFraction: validationFraction, factShare: factShare, maxSeqLength: maxSeqLength)
    }

    /// The model's configuration for a vocabulary of `vocabSize` words.
    public func config(vocabSize: Int) -> RobertaConfig {
        RobertaConfig(vocabSize: vocabSize, hiddenSize: hiddenSize, numHiddenLayers: numHiddenLayers,
                      numAttentionHeads: numAttentionHeads, intermediateSize: intermediateSize,
                      hiddenDropoutProb: dropout, attentionProbsDropoutProb: dropout,
                      maxPositionEmbeddings: maxSeqLength + 2, initializerRange: initializerRange)   // positions start at padTokenId + 1 = 2
    }

    /// Updates in the whole run: `maxSteps`, or epochs x batches an epoch.
    public func totalSteps(trainingExamples: Int) -> Int {
        maxSteps ?? numTrainEpochs * ((trainingExamples + perDeviceTrainBatchSize - 1) / perDeviceTrainBatchSize)
    }
}

/// How the training batches are masked.
public enum MaskingStrategy: Sendable, Equatable {
    /// RoBERTa: fresh masks every time a batch is built.
    case dynamic
    /// BERT: every sentence masked once, before training, and seen with the same masks every epoch.
    case `static`
}

/// One row of the run's log.
public struct LogRow: Sendable, Equatable, Codable {
    public let step: Int
    public let epoch: Double
    public let learningRate: Float
    /// Mean training loss over the updates since the previous row (nan at step 0).
    public let trainLoss: Double
    public let validLoss: Double
    public var trainPerplexity: Double { exp(trainLoss) }
    public var validPerplexity: Double { exp(validLoss) }

    enum CodingKeys: String, CodingKey {
        case step, epoch, learningRate = "learning_rate", trainLoss = "train_loss", validLoss = "valid_loss"
    }
}

/// What a run produced: the model, its log, and what its masking did.
public struct PretrainingRun {
    public let model: RobertaForMaskedLM
    public let tokenizer: WordTokenizer
    public let log: [LogRow]
    /// Everything the training batches' masking did, added up over the run.
    public let masking: MaskingStatistics
    /// Loss of the very first training batch, before any update.
    public let firstBatchLoss: Double
    /// The update whose loss was not a number, if the run blew up.
    public let divergedAtStep: Int?
    public var initialValidLoss: Double { log.first!.validLoss }
    public var finalValidLoss: Double { log.last!.validLoss }
    public var finalValidPerplexity: Double { exp(finalValidLoss) }
}

/// The validation set with its masks drawn once, so every evaluation scores the same blanks:
/// `copies` differently masked copies of each sentence, for a steadier number.
public struct ValidationSet {
    public let masked: StaticMasking
    public let count: Int

    public init(_ sequences: [[Int]], tokenizer: WordTokenizer, mlmProbability: Double, seed: Int, copies: Int = 4) {
        let collator = DataCollatorForLanguageModeling(tokenizer: tokenizer, mlmProbability: mlmProbability,
                                                       generator: Generator(seed: UInt64(seed) &+ 7_001))
        masked = StaticMasking(sequences, collator: collator, duplicates: copies)
        count = sequences.count
    }

    /// Mean cross-entropy over every masked position of every copy (dropout off, no graph).
    public func loss(of model: RobertaForMaskedLM, batchSize: Int = 256) -> Double {
        let wasTraining = model.training
        model.eval()
        defer { model.train(wasTraining) }
        var batches: [MLMBatch] = []
        for copy in 0..<masked.duplicates {
            for start in stride(from: 0, to: count, by: batchSize) {
                batches.append(masked.batch(Array(start..<min(start + batchSize, count)), epoch: copy))
            }
        }
        return noGrad { maskedMeanLoss(batches.lazy.map { (logits: model($0), labels: $0.labels) }) }
    }
}

/// The mean cross-entropy per masked position over a set of batches (logits [B, T, vocab] and
/// labels [B, T], -100 where nothing was masked): every masked position counts once, however
/// the positions fall into batches. Its exp is the perplexity the lesson reports.
public func maskedMeanLoss<Batches: Sequence>(_ batches: Batches) -> Double
where Batches.Element == (logits: Tensor, labels: [Int]) {
    var total = 0.0, tokens = 0
    // BEGIN SOLUTION ex06_2
    let sumLoss = CrossEntropyLoss(ignoreIndex: -100, reduction: .sum)
    for (logits, labels) in batches {
        total += Double(sumLoss(logits, labels).item())          // summed over the masked positions
        tokens += labels.filter { $0 != -100 }.count
    }
    // END SOLUTION
    return total / Double(tokens)
}

/// Pretrains a fresh tiny RoBERTa on `corpus` with masked language modelling: AdamW, the linear
/// warmup/decay schedule, masking as `strategy` says. `progress` is told each update
/// (step, total, latest train loss) and each log row.
///
/// With `checkpoints`, saves `checkpoint-<step>/` folders as it goes, or first resumes from
/// one; the run is then the one that was interrupted, update for update (see Checkpoints.swift).
/// Throws only for a checkpoint that cannot be written or read.
public func pretrain(_ settings: PretrainingSettings, corpus: MLMCorpus, strategy: MaskingStrategy = .dynamic,
                     trainingSequences: [[Int]]? = nil, checkpoints: CheckpointSettings? = nil,
                     progress: (Int, Int, Double) -> Void = { _, _, _ in },
                     logged: (LogRow) -> Void = { _ in }) throws -> PretrainingRun {
    let s = settings
    let tokenizer = corpus.tokenizer
    let train = trainingSequences ?? corpus.train
    let generator = Generator(seed: UInt64(s.seed))
    let model = RobertaForMaskedLM(config: s.config(vocabSize: tokenizer.vocabSize), generator: generator)
    let validation = ValidationSet(corpus.validation, tokenizer: tokenizer, mlmProbability: s.mlmProbability, seed: s.seed)

    // HF Trainer's AdamW: weight decay on the weight matrices, none on biases and LayerNorms.
    let decay = decayParameterNames(model)
    let named = model.namedParameters()
    let optimizer = ParameterGroups([
        AdamW(parameters: named.filter { decay.contains($0.0) }.map(\.1), learningRate: s.learningRate, betas: (0.9, s.adamBeta2), weightDecay: s.weightDecay),
        AdamW(parameters: named.filter { !decay.contains($0.0) }.map(\.1), learningRate: s.learningRate, betas: (0.9, s.adamBeta2), weightDecay: 0),
    ])
    let loader = DataLoader(TokenizedText(train), batchSize: s.perDeviceTrainBatchSize, shuffle: true, seed: s.seed) { $0 }
    let totalSteps = s.totalSteps(trainingExamples: train.count)
    let schedule = getScheduler(.linear, learningRate: s.learningRate, numWarmupSteps: s.warmupSteps, numTrainingSteps: totalSteps)

    // ANCHOR: collators
    // Dynamic: the collator draws new masks each time it builds a batch.
    let collator = DataCollatorForLanguageModeling(tokenizer: tokenizer, mlmProbability: s.mlmProbability,
                                                   generator: Generator(seed: UInt64(s.seed) &+ 1))
    // Static: every training sentence masked once, now; each epoch reuses those masks.
    let staticMasks = strategy == .static ? StaticMasking(train, collator: collator) : nil
    // ANCHOR_END: collators
    let lossFunction = CrossEntropyLoss(ignoreIndex: -100)

    var log: [LogRow] = []
    func record(_ step: Int, trainLoss: Double) {
        let row = LogRow(step: step, epoch: Double(step) / Double(loader.count), learningRate: schedule.lr(at: max(0, step - 1)),
                         trainLoss: trainLoss, validLoss: validation.loss(of: model))
        log.append(row)
        logged(row)
    }

    var step = 0, sinceLog = 0.0, batchesSinceLog = 0
    var firstBatchLoss = Double.nan
    var masking = MaskingStatistics()
    var divergedAtStep: Int? = nil
    let generators = ["model": generator, "masking": collator.generator]   // dropout draws from the model's
    if let path = checkpoints?.resumeFromCheckpoint {
        // The weights, AdamW's moments, the generators and these variables, as saved after update `step`.
        let saved = try resumeCheckpoint(path, settings: s, strategy: strategy, trainExamples: train.count, totalSteps: totalSteps,
                                         model: model, optimizer: optimizer, generators: generators)
        (step, sinceLog, batchesSinceLog) = (saved.globalStep, saved.trainLossSinceLog, saved.batchesSinceLog)
        (firstBatchLoss, masking, log) = (saved.firstBatchLoss, saved.maskingStatistics.statistics, saved.logHistory)
    } else {
        record(0, trainLoss: .nan)
    }

    // One batch per update: after `step` updates the run is `step % batches` batches into epoch `step / batches`.
    let start = (epoch: step / loader.count, batch: step % loader.count)
    model.train()
    training: for epoch in start.epoch... {
        for indices in loader.batchIndices(epoch: epoch).dropFirst(epoch == start.epoch ? start.batch : 0) {
            if step == totalSteps { break training }
            // ANCHOR: step
            let batch = staticMasks?.batch(indices) ?? collator(indices.map { train[$0] })   // [B, T], labels -100 where not masked
            optimizer.learningRate = schedule.lr(at: step)       // linear warmup, then linear decay to 0
            let logits = model(batch)                            // [B, T] -> [B, T, vocab]
            let loss = lossFunction(logits, batch.labels)        // mean over the masked positions only
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            // ANCHOR_END: step
            step += 1
            let value = Double(loss.item())
            if step == 1 { firstBatchLoss = value }
            if !value.isFinite {                                 // a too-high rate: stop and say when
                divergedAtStep = step
                break training
            }
            masking = masking + batch.statistics
            sinceLog += value; batchesSinceLog += 1
            progress(step, totalSteps, value)
            if step % s.evalSteps == 0 || step == totalSteps {
                record(step, trainLoss: sinceLog / Double(batchesSinceLog))
                sinceLog = 0; batchesSinceLog = 0
            }
            // HF: every save_steps, and at the last step.
            if let checkpoints, let saveSteps = checkpoints.saveSteps, step % saveSteps == 0 || step == totalSteps {
                let state = PretrainingState(
                    globalStep: step, settings: s, masking: strategy.name, trainExamples: train.count,
                    rngStates: generators.mapValues { $0.snapshot.map(TrainerCheckpoint.hex) }, logHistory: log,
                    trainLossSinceLog: sinceLog, batchesSinceLog: batchesSinceLog, firstBatchLoss: firstBatchLoss,
                    maskingStatistics: MaskingCounts(masking))
                try saveCheckpoint(state, model: model, optimizer: optimizer, to: checkpoints)
            }
        }
    }
    model.eval()
    return PretrainingRun(model: model, tokenizer: tokenizer, log: log, masking: masking, firstBatchLoss: firstBatchLoss,
                          divergedAtStep: divergedAtStep)
}
