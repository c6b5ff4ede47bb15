import Foundation
import MiniTorch
import MaskedLanguageModeling

/// Lesson 06's pretrained encoder for `seed`: loaded from `folder` (where lesson 06 saved it),
/// or pretrained now with lesson 06's default settings and saved there. The validation
/// sentences are lesson 06's, masked as lesson 06 masks them, so the perplexities agree.
public func pretrainedBase(seed: Int, folder: String = PretrainedFiles.defaultFolder) throws -> PretrainedBase {
    var settings = PretrainingSettings()
    settings.seed = seed
    let (model, tokenizer) = try pretrainedEncoder(seed: seed, outDir: folder)
    let corpus = MLMCorpus(trainText: [], validationText: settings.corpus().validationText, tokenizer: tokenizer,
                           maxSeqLength: settings.maxSeqLength)
    let validation = ValidationSet(corpus.validation, tokenizer: tokenizer, mlmProbability: settings.mlmProbability, seed: seed)
    return PretrainedBase(model: model, tokenizer: tokenizer, validation: validation, settings: settings)
}
