import MiniTorch

/// Dynamic against static masking in the same budget.
public struct MaskingComparison {
    public let settings: PretrainingSettings
    public let trainingSentences: Int
    public let dynamic: PretrainingRun
    public let `static`: PretrainingRun
    /// How much lower the dynamic run's final validation loss is.
    public var advantage: Double { `static`.finalValidLoss - dynamic.finalValidLoss }
}

/// Two runs that differ only in masking, on a small training set (the first `sentences` of the
/// corpus's training split) seen for many epochs, so that static masking shows each sentence
/// with the same blanks `numTrainEpochs` times: the model can learn those blanks by heart
/// instead of the language. Same model seed, same batches, same schedule, same validation set.
public func compareMasking(_ base: PretrainingSettings, corpus: MLMCorpus, sentences: Int = 400, epochs: Int = 30,
                           progress: (String, Int, Int) -> Void = { _, _, _ in }) throws -> MaskingComparison {
    var s = base
    s.numTrainEpochs = epochs
    s.maxSteps = nil
    s.evalSteps = 25
    let subset = Array(corpus.train.prefix(sentences))
    let dynamic = try pretrain(s, corpus: corpus, strategy: .dynamic, trainingSequences: subset) { step, total, _ in progress("dynamic", step, total) }
    let fixed = try pretrain(s, corpus: corpus, strategy: .static, trainingSequences: subset) { step, total, _ in progress("static", step, total) }
    return MaskingComparison(settings: s, trainingSentences: subset.count, dynamic: dynamic, static: fixed)
}
