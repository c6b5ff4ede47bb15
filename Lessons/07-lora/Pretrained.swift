import Foundation
import MiniTorch
import MaskedLanguageModeling

/// Lesson 06's model: pretrained with lesson 06's default settings (deterministic for a seed).
public func pretrainedBase(seed: Int) -> PretrainedBase {
    var settings = PretrainingSettings()
    settings.seed = seed
    let corpus = MLMCorpus(seed: seed, count: settings.corpusSize, validationFraction: settings.validationFraction,
                           maxSeqLength: settings.maxSeqLength)
    let run = pretrain(settings, corpus: corpus)
    let validation = ValidationSet(corpus.validation, tokenizer: corpus.tokenizer, mlmProbability: settings.mlmProbability, seed: seed)
    return PretrainedBase(model: run.model, tokenizer: corpus.tokenizer, validation: validation, settings: settings)
}
