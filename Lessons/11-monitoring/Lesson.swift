import Foundation
import LoRALesson
import MaskedLanguageModeling
import MiniTorch
import Workbook
import struct Overfitting.CurveDiagnosis

/// How the run stores its gradients.
public enum Precision: String, CaseIterable, Sendable, FlagValue {
    /// Float32 throughout.
    case fp32
    /// fp16 gradients, simulated as lesson 10 does (every gradient rounded through fp16), with a
    /// dynamic loss scale (lesson 10's `GradScaler`); the weights and AdamW stay in Float32.
    case fp16
}

/// The run: lesson 06's pretrained tiny RoBERTa fine-tuned in full on lesson 07's fact task (which
/// continent is a fact about?) with Hugging Face's usual recipe, logged in full.
public struct Settings: SeededSettings, Equatable {
    /// The pretrained model's seed (lesson 06's run), and the seed of the fine-tune (the new head,
    /// the batch order, dropout).
    public var seed = 42
    /// Lesson 07's faster full fine-tune: at 1e-4 the update ratios sit well below 1e-3 and the run
    /// is still learning when it ends.
    public var learningRate: Float = 3e-4
    public var perDeviceTrainBatchSize = 32
    public var numTrainEpochs = 12
    public var warmupRatio = 0.1
    public var weightDecay: Float = 0.01
    public var maxGradNorm: Float = 1.0
    /// Dropout in the encoder and before the head (RoBERTa's 0.1), as lesson 07's fine-tunes.
    public var dropout: Float = 0.1
    public var trainExamples = 800
    public var validationExamples = 400
    /// Log the training loss and evaluate every `loggingSteps` optimizer steps.
    public var loggingSteps = 25
    public var precision = Precision.fp16
    /// The loss scaler's start (PyTorch's init_scale, 2^16) and growth interval. PyTorch waits
    /// 2000 clean steps before it doubles the scale; 25 lets a 300-step run show the whole cycle,
    /// as in lesson 10.
    public var initScale: Float = 65536
    public var growthInterval = 25
    /// The sentence whose masked word the encoder fills at every evaluation (lesson 06's first),
    /// and the word a model that remembers its facts puts there.
    public var fillMaskPrompt = SyntheticCorpus.fillMaskPrompts[0].prompt
    public var fillMaskExpected = SyntheticCorpus.fillMaskPrompts[0].expected
    /// Lesson 06's model: loaded from this folder, or pretrained and saved there first.
    public var pretrainedDir = PretrainedFiles.defaultFolder
    public init() {}

    public var stepsPerEpoch: Int { (trainExamples + perDeviceTrainBatchSize - 1) / perDeviceTrainBatchSize }
    public var totalSteps: Int { numTrainEpochs * stepsPerEpoch }
    public var warmupSteps: Int { Int((Double(totalSteps) * warmupRatio).rounded()) }

    /// The diagnosis reads the shape of the curves: it needs at least three points.
    public func validate() throws {
        try check(totalSteps >= 3 * loggingSteps,
                  "--logging-steps (\(loggingSteps)) must leave at least 3 evaluations in \(totalSteps) steps for the diagnosis")
    }
}

public struct LessonResult {
    public var settings: Settings
    /// Step rows (lr, grad_norm, loss scale, update ratios, memory every step; the evaluation's
    /// columns every `loggingSteps`).
    public var log: MetricsLog
    public var timings: [StepTiming]
    public var evaluations: [LoggedEvaluation]
    public var diagnosis: CurveDiagnosis
    /// The optimizer steps the scaler skipped (a gradient overflowed fp16), counted from 1.
    public var skippedSteps: [Int]
    /// Bytes of tensor storage alive before each step (the weights, their gradients, AdamW's
    /// state) and the most alive at once during it, the largest over the run.
    public var peakBytes: Int
    /// The model's parameters (every one is trained).
    public var parameterCount: Int
    /// The encoder's MLM pseudo-perplexity and fill-mask guesses before the fine-tune.
    public var start: EncoderProbe
    /// The validation numbers before the first step (the pretrained encoder, a random head).
    public var initial: Evaluation

    public var final: Evaluation { evaluations[evaluations.count - 1].eval }
    public var best: LoggedEvaluation { evaluations.min { $0.eval.loss < $1.eval.loss }! }
}

/// The lesson: one monitored fine-tune, its curves diagnosed at the end. `base` is lesson 06's
/// model, loaded from `s.pretrainedDir` (pretrained there first) when nil.
public func run(_ s: Settings, base: PretrainedBase? = nil, progress: LessonProgress = .silent) throws -> LessonResult {
    let base = try base ?? pretrainedBase(seed: s.seed, folder: s.pretrainedDir)
    return trainMonitored(s, base: base) { step, total, loss in
        progress.update("fine-tuning", step: step, of: total, metrics: ["loss": Double(loss)])
    }
}
