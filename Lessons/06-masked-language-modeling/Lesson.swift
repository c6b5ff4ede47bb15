import Foundation
import MiniTorch
import Workbook

/// The flags' values: the pretraining (lessons 07 and 08 reload its model with the same
/// settings), the masking comparison's length, and the checkpoints (Hugging Face's save_steps,
/// save_total_limit, resume_from_checkpoint).
public struct Settings: SeededSettings, Equatable {
    public var pretraining = PretrainingSettings()
    /// Epochs of the dynamic-vs-static masking comparison on 400 sentences.
    public var comparisonEpochs = 30
    /// Save a checkpoint-<step> folder every this many updates and at the last one; nil: none.
    public var saveSteps: Int? = nil
    /// Keep only the newest this many checkpoint folders; nil: keep all.
    public var saveTotalLimit: Int? = nil
    /// A checkpoint folder, or `latest` for the newest one in the output folder.
    public var resumeFromCheckpoint: String? = nil

    public var seed: Int {
        get { pretraining.seed }
        set { pretraining.seed = newValue }
    }

    public init() {}

    public func validate() throws {
        if saveTotalLimit != nil {
            try check(saveSteps != nil, "--save-total-limit needs --save-steps (without it no checkpoint is saved)")
        }
    }
}

/// Everything the lesson's run shows, from one call.
public struct LessonResult {
    /// The pretraining's settings (what lessons 07 and 08 load the model with).
    public let settings: PretrainingSettings
    public let corpus: MLMCorpus
    public let run: PretrainingRun
    public let audit: MaskingAudit
    public let fillMask: [FillMaskResult]
    public let comparison: MaskingComparison
    /// Wall-clock seconds of the whole run.
    public var seconds: Double = 0
    public var lnVocab: Double { log(Double(corpus.tokenizer.vocabSize)) }
}

/// The pretraining run (saving checkpoints to or resuming from `outputDir` as the settings say),
/// its checks, the fill-mask demo and the masking comparison.
public func run(_ settings: Settings, outputDir: String? = nil, quiet: Bool = true,
                progress: LessonProgress = .silent) throws -> LessonResult {
    let start = ProgressBar.monotonicSeconds()
    var checkpoints: CheckpointSettings? = nil
    if let outputDir {
        // Checkpoints go to --out, HF's output_dir; `latest` is the newest one there.
        checkpoints = CheckpointSettings(outputDir: outputDir, saveSteps: settings.saveSteps, saveTotalLimit: settings.saveTotalLimit)
        if let resume = settings.resumeFromCheckpoint {
            let folder = try resolveCheckpoint(resume, outputDir: outputDir)
            checkpoints?.resumeFromCheckpoint = folder
            if !quiet { print("resuming the pretraining from \(folder)") }
        }
    }
    let progress = progress.padding(labels: 8)
    let pretraining = settings.pretraining
    let corpus = pretraining.corpus()
    let run = try pretrain(pretraining, corpus: corpus, checkpoints: checkpoints) { step, total, loss in
        progress.update("pretrain", step: step, of: total, metrics: ["loss": loss])
    }
    if let step = run.divergedAtStep {
        throw LessonError("the loss became NaN at step \(step) (learning rate \(pretraining.learningRate)); try a lower --learning-rate")
    }
    let audit = auditMasking(pretraining, corpus: corpus, runStatistics: run.masking)
    let demo = fillMaskDemo(model: run.model, tokenizer: corpus.tokenizer)
    let comparison = try compareMasking(pretraining, corpus: corpus, epochs: settings.comparisonEpochs) { name, step, total in
        progress.update(name, step: step, of: total)
    }
    var result = LessonResult(settings: pretraining, corpus: corpus, run: run, audit: audit, fillMask: demo,
                              comparison: comparison)
    result.seconds = ProgressBar.monotonicSeconds() - start
    return result
}
