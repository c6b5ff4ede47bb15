import Foundation
import MiniTorch

/// Everything the lesson's run shows, from one call.
public struct LessonResult {
    public let settings: PretrainingSettings
    public let corpus: MLMCorpus
    public let run: PretrainingRun
    public let audit: MaskingAudit
    public let fillMask: [FillMaskResult]
    public let comparison: MaskingComparison
    public var lnVocab: Double { log(Double(corpus.tokenizer.vocabSize)) }
}

/// The pretraining run (saving or resuming from `checkpoints`), its checks, the fill-mask demo
/// and the masking comparison (`comparisonEpochs` epochs on 400 sentences).
public func runLesson(_ settings: PretrainingSettings, checkpoints: CheckpointSettings? = nil, comparisonEpochs: Int = 30,
                      progress: (String, Int, Int) -> Void = { _, _, _ in }) throws -> LessonResult {
    let corpus = settings.corpus()
    let run = try pretrain(settings, corpus: corpus, checkpoints: checkpoints) { step, total, _ in progress("pretrain", step, total) }
    let audit = auditMasking(settings, corpus: corpus, runStatistics: run.masking)
    let demo = fillMaskDemo(model: run.model, tokenizer: corpus.tokenizer)
    let comparison = try compareMasking(settings, corpus: corpus, epochs: comparisonEpochs, progress: progress)
    return LessonResult(settings: settings, corpus: corpus, run: run, audit: audit, fillMask: demo,
                        comparison: comparison)
}
