import Foundation
import MiniTorch

/// One point of the learning curves.
public struct CurvePoint: Sendable {
    public let step: Int
    public let tokensSeen: Int
    public let learningRate: Float
    /// Mean training loss (nats per token) over the steps since the previous point.
    public let trainLoss: Double
    public let trainBitsPerByte: Double
    /// Held-out loss (nats per token) and bits per byte.
    public let evalLoss: Double
    public let evalBitsPerByte: Double
}

/// A sample from the fixed prompt at one step of training.
public struct Sample: Sendable {
    public let step: Int
    public let text: String
}

public struct PretrainingRun: @unchecked Sendable {
    public let model: GPT2LMHeadModel
    public let curve: [CurvePoint]
    public let samples: [Sample]
    /// Loss of the first training batch before any update.
    public let initialLoss: Double
    /// Held-out loss and bits per byte at the end, on `finalEvalTokens` held-out targets (all of
    /// them unless `maxEvalSamples` says fewer).
    public let finalEvalLoss: Double
    public let finalBitsPerByte: Double
    public let finalEvalTokens: Int
    public let trainingSeconds: Double
    /// Median wall-clock time of one training step.
    public let stepMilliseconds: Double
}

/// AdamW as GPT-2-style pretraining uses it (nanoGPT's `configure_optimizers`): weight decay on
/// the matrices only (every parameter with 2 dimensions: embeddings and projections), none on
/// biases and LayerNorm gains, which decay would only pull towards zero; beta2 0.95 rather
/// than 0.999, so the second moment follows the gradient's scale within ~20 steps, not ~1,000.
// ANCHOR: optimizer
public func pretrainingOptimizer(_ model: Module, _ s: Settings) -> ParameterGroups {
    let parameters = model.namedParameters().map(\.1)
    let betas = (s.adamBeta1, s.adamBeta2)
    return ParameterGroups([
        AdamW(parameters: parameters.filter { $0.rank >= 2 }, learningRate: s.learningRate, betas: betas, weightDecay: s.weightDecay),
        AdamW(parameters: parameters.filter { $0.rank < 2 }, learningRate: s.learningRate, betas: betas, weightDecay: 0),
    ])
}
// ANCHOR_END: optimizer

/// Mean next-token loss (nats per token) over `batches` and the bits per byte it makes.
public func evaluate(_ model: GPT2LMHeadModel, _ batches: [Batch], corpus: TokenCorpus) -> (loss: Double, bitsPerByte: Double) {
    let wasTraining = model.training
    model.eval()
    defer { model.train(wasTraining) }
    var nats = 0.0, tokens = 0, bytes = 0
    noGrad {
        for b in batches {
            let logits = model(inputIds: b.inputs, shape: b.shape)                                   // [B, T, vocab]
            nats += Double(crossEntropy(logits.reshape([-1, model.config.vocabSize]), b.targets, reduction: .sum).item())
            tokens += b.targets.count
            bytes += corpus.bytes(b.targets)
        }
    }
    return (nats / Double(tokens), nats / log(2) / Double(bytes))
}

/// Pretrains a GPT from scratch on the training works. Every `evalSteps` it measures the
/// held-out loss on the first `evalBatches` batches of the held-out works; at the steps in
/// `sampleSteps` it writes a sample from `prompt`. `losses` hears every step's training loss
/// (the lesson stops at the first non-finite one), `progress` every step done.
public func pretrain(_ s: Settings, corpus: TokenCorpus, progress: (Int) -> Void = { _ in },
                     losses: (_ step: Int, _ loss: Double) -> Void = { _, _ in }) -> PretrainingRun {
    let generator = Generator(seed: s.seed)
    let model = GPT2LMHeadModel(config: s.modelConfig, generator: generator)
    let optimizer = pretrainingOptimizer(model, s)
    // Hugging Face's get_cosine_schedule_with_warmup: linear from 0 over the warm-up, then half a
    // cosine down to 0 at maxSteps.
    let schedule = getScheduler(.cosine, learningRate: s.learningRate, numWarmupSteps: s.warmupSteps, numTrainingSteps: s.maxSteps)
    let heldOut = evaluationBatches(corpus.validation, batchSize: s.perDeviceTrainBatchSize, context: s.nPositions, limit: s.evalBatches)
    let trainBytesPerToken = Double(corpus.trainBytes) / Double(corpus.train.count)
    let promptIDs = corpus.tokenizer.encode(s.prompt)
    var curve: [CurvePoint] = [], samples: [Sample] = [], stepTimes: [Double] = []
    var initialLoss = 0.0, runningLoss = 0.0, runningSteps = 0

    func checkpoint(_ step: Int) {
        if step % s.evalSteps == 0 || step == s.maxSteps {
            let (loss, bpb) = evaluate(model, heldOut, corpus: corpus)
            let train = runningSteps > 0 ? runningLoss / Double(runningSteps) : initialLoss
            curve.append(CurvePoint(step: step, tokensSeen: step * s.tokensPerStep, learningRate: schedule.lr(at: step),
                                    trainLoss: train, trainBitsPerByte: train / log(2) / trainBytesPerToken,
                                    evalLoss: loss, evalBitsPerByte: bpb))
            (runningLoss, runningSteps) = (0, 0)
        }
        if s.sampleSteps.contains(step) {
            samples.append(Sample(step: step, text: s.generate(model, corpus: corpus, prompt: promptIDs, config: s.sampleConfig, seed: s.seed)))
        }
    }

    let start = Date()
    for step in 0..<min(s.stopAtStep ?? s.maxSteps, s.maxSteps) {
        let batch = randomBatch(corpus.train, batchSize: s.perDeviceTrainBatchSize, context: s.nPositions, generator: generator)
        if step == 0 {
            initialLoss = noGrad { Double(crossEntropy(model.eval()(inputIds: batch.inputs, shape: batch.shape).reshape([-1, s.vocabSize]), batch.targets).item()) }
            model.train()
            checkpoint(0)
        }
        let stepStart = Date()
        // ANCHOR: step
        optimizer.learningRate = schedule.lr(at: step)
        let logits = model(inputIds: batch.inputs, shape: batch.shape)              // [B, T, vocab]
        let loss = crossEntropy(logits.reshape([-1, s.vocabSize]), batch.targets)   // every position predicts the next token
        optimizer.zeroGrad()
        loss.backward()
        clipGradNorm(optimizer.parameters, maxNorm: s.maxGradNorm)
        optimizer.step()
        // ANCHOR_END: step
        stepTimes.append(Date().timeIntervalSince(stepStart))
        runningLoss += Double(loss.item())
        runningSteps += 1
        checkpoint(step + 1)
        losses(step + 1, Double(loss.item()))
        progress(step + 1)
    }
    let seconds = Date().timeIntervalSince(start)
    let b = s.perDeviceTrainBatchSize
    let finalBatches = evaluationBatches(corpus.validation, batchSize: b, context: s.nPositions,
                                         limit: s.maxEvalSamples > 0 ? (s.maxEvalSamples + b - 1) / b : nil)
    let (finalLoss, finalBPB) = evaluate(model, finalBatches, corpus: corpus)
    return PretrainingRun(model: model, curve: curve, samples: samples, initialLoss: initialLoss, finalEvalLoss: finalLoss,
                          finalBitsPerByte: finalBPB, finalEvalTokens: finalBatches.reduce(0) { $0 + $1.targets.count },
                          trainingSeconds: seconds,
                          stepMilliseconds: stepTimes.sorted()[stepTimes.count / 2] * 1000)
}

extension Settings {
    /// Generates from `prompt` with `config` and decodes the new tokens (invalid UTF-8 shown as U+FFFD).
    func generate(_ model: GPT2LMHeadModel, corpus: TokenCorpus, prompt: [Int], config: GenerationConfig, seed: Int) -> String {
        let tokens = model.generate(prompt, config: config, generator: Generator(seed: seed))
        return decode(Array(tokens.dropFirst(prompt.count)), corpus: corpus)
    }
}

func decode(_ ids: [Int], corpus: TokenCorpus) -> String {
    String(decoding: (try? corpus.tokenizer.decodeBytes(ids)) ?? [], as: UTF8.self)
}
