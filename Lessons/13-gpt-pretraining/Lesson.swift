import Foundation
import MiniTorch
import Workbook

/// Everything the lesson runs, with Hugging Face's names (GPT2Config, TrainingArguments).
public struct Settings: SeededSettings, Equatable {
    // The tokenizer (lesson 12's) and the model.
    public var vocabSize = 2048
    public var nEmbd = 128
    /// Two blocks: in the default run's minute, the more steps of a shallower model beat the fewer
    /// of a deeper one (the chapter's "Why two layers", `make reference-13-sizes`).
    public var nLayer = 2
    public var nHead = 4
    /// The context: sequences of 64 tokens, and so 64 learned positions.
    public var nPositions = 64
    /// GPT-2's resid/embd/attn dropout; 0 here, as nanoGPT pretrains (there are more tokens
    /// than this short run can overfit).
    public var dropout: Float = 0
    // Training.
    public var maxSteps = 1600
    /// Stop after this many steps while the schedule still runs over maxSteps: the first steps of
    /// the default run exactly, for a quick test (nil: train all maxSteps).
    public var stopAtStep: Int? = nil
    public var perDeviceTrainBatchSize = 12
    public var learningRate: Float = 3e-3
    public var warmupSteps = 100
    public var weightDecay: Float = 0.1
    public var adamBeta1: Float = 0.9
    public var adamBeta2: Float = 0.95
    public var maxGradNorm: Float = 1
    public var evalSteps = 100
    /// Held-out batches per evaluation during training (the final evaluation reads all of them).
    public var evalBatches = 24
    /// Held-out windows of the final evaluation, Hugging Face's `max_eval_samples` (rounded up to
    /// whole batches; 0: every window, every held-out token a target once).
    public var maxEvalSamples = 0
    /// Steps of the one-batch overfitting check.
    public var overfitSteps = 150
    /// Samples for each setting of the sampling comparison.
    public var samplesPerSetting = 8
    public var prompt = "Romeo.\n"
    public var seed = 42
    public var corpusDirectory: URL? = nil
    /// Threads for the matrix products and loops (the executable sets them; the numbers agree to about six digits).
    public var threads = 2

    public init() {}

    public func validate() throws {
        try inRange(warmupSteps, 0...maxSteps, "--warmup-steps")
        try check(nEmbd % nHead == 0, "--n-embd (\(nEmbd)) must be a multiple of --n-head (\(nHead)): each head gets n_embd / n_head dimensions")
    }

    public var modelConfig: GPT2Config {
        GPT2Config(vocabSize: vocabSize, nPositions: nPositions, nEmbd: nEmbd, nLayer: nLayer, nHead: nHead,
                   bosTokenId: 0, eosTokenId: 0).withDropout(dropout)
    }

    public var tokensPerStep: Int { perDeviceTrainBatchSize * nPositions }

    /// Where samples are taken: at the start, early, a third of the way, and at the end.
    public var sampleSteps: [Int] { Array(Set([0, maxSteps / 20, maxSteps / 5, maxSteps / 2, maxSteps])).sorted() }

    /// The samples during training: temperature 0.8, no top-k, as many tokens as the context holds.
    public var sampleConfig: GenerationConfig {
        GenerationConfig(maxNewTokens: nPositions - 4, doSample: true, temperature: 0.8, topK: 0, eosTokenId: 0)
    }
}

public struct LessonResult: @unchecked Sendable {
    public let settings: Settings
    public let corpus: TokenCorpus
    public let floors: NGramFloors
    public let run: PretrainingRun
    public let overfit: OverfitResult
    public let sampling: [SamplingRow]
    public let causality: CausalityCheck
    public let scale: ScaleFigures
    public let savedTo: URL?

    public var lnVocab: Double { log(Double(settings.vocabSize)) }
    public var validationBytesPerToken: Double { Double(corpus.validationBytes) / Double(corpus.validation.count) }
    public func bitsPerByte(_ nats: Double) -> Double { nats / log(2) / validationBytesPerToken }
}

/// Parts of the lesson `run` reports through `progress` (the training steps count one each).
public func lessonParts(_ s: Settings) -> Int { s.maxSteps + 5 }

/// The whole lesson; the model is saved in `folder` (as Hugging Face's GPT-2) when one is given.
public func run(_ s: Settings, saveTo folder: URL? = nil, progress: LessonProgress = .silent) throws -> LessonResult {
    let parts = lessonParts(s)
    func done(_ part: Int, loss: Double? = nil) {
        if let loss {
            progress.update("steps", step: part, of: parts, metrics: ["loss": loss])
        } else {
            progress.update("steps", step: part, of: parts)
        }
    }
    let corpus = try TokenCorpus(vocabSize: s.vocabSize, directory: s.corpusDirectory)
    let floors = NGramFloors(train: corpus.train, heldOut: corpus.validation, vocabSize: s.vocabSize)
    done(1)
    let overfit = overfitOneBatch(s, corpus: corpus)
    done(2)
    let run = pretrain(s, corpus: corpus, losses: { done(2 + $0, loss: $1) })
    if let bad = run.curve.first(where: { !$0.trainLoss.isFinite || !$0.evalLoss.isFinite }) {
        throw LessonError("the loss became NaN by step \(bad.step) (learning rate \(s.learningRate)); try a lower --learning-rate")
    }
    let sampling = compareSampling(run.model, s, corpus: corpus)
    done(s.maxSteps + 3)
    let causality = checkCausality(run.model, corpus: corpus, context: s.nPositions)
    let scale = ScaleFigures(model: run.model, settings: s, stepMilliseconds: run.stepMilliseconds)
    done(s.maxSteps + 4)
    if let folder {
        try run.model.savePretrained(folder, generationConfig: GenerationConfig(maxNewTokens: s.nPositions - 4, eosTokenId: corpus.endOfText, bosTokenId: corpus.endOfText)) { dir in
            try corpus.tokenizer.save(to: dir.appendingPathComponent("tokenizer.json"))
        }
    }
    done(s.maxSteps + 5)
    return LessonResult(settings: s, corpus: corpus, floors: floors, run: run, overfit: overfit, sampling: sampling,
                        causality: causality, scale: scale, savedTo: folder)
}
