import Foundation
import MiniTorch
import Workbook

/// Where lesson 06 leaves its pretrained model for lessons 07 and 08, and how they get it: a
/// folder as `transformers`' `save_pretrained` writes it (config.json, model.safetensors and
/// the tokenizer's files), so `AutoModelForMaskedLM.from_pretrained` opens it too.
public enum PretrainedFiles {
    public static let defaultFolder = Workbook.defaultOutputPath(lesson: "06-masked-language-modeling")
    /// The model's folder inside a lesson 06 output folder.
    public static let modelFolder = "model"
    public static let model = modelFolder + "/" + PretrainedFolder.weights
}

/// Saves the model (its sizes and training settings in the weights' metadata) with its
/// tokenizer into `folder`/model/, written whole or not at all.
public func savePretrained(_ model: RobertaForMaskedLM, tokenizer: WordTokenizer, settings: PretrainingSettings, to folder: String) throws {
    let url = URL(fileURLWithPath: folder).appendingPathComponent(PretrainedFiles.modelFolder)
    try model.savePretrained(url, tokenizer: tokenizer, metadata: metadata(settings, vocabSize: tokenizer.vocabSize))
}

/// Loads what `savePretrained` wrote; throws if a file is missing, malformed, or was made with
/// other settings than `settings`.
public func loadPretrained(from folder: String, settings: PretrainingSettings) throws -> (model: RobertaForMaskedLM, tokenizer: WordTokenizer) {
    let url = URL(fileURLWithPath: folder).appendingPathComponent(PretrainedFiles.modelFolder)
    let tokenizer = try WordTokenizer.fromPretrained(url)
    let model = try RobertaForMaskedLM.fromPretrained(url)
    if model.config.vocabSize != tokenizer.vocabSize {
        throw SafetensorsError("\(url.relativePath): config.json has vocab_size \(model.config.vocabSize), tokenizer.json \(tokenizer.vocabSize) tokens")
    }
    let found = try Safetensors.load(from: url.appendingPathComponent(PretrainedFolder.weights)).metadata
    if found != metadata(settings, vocabSize: tokenizer.vocabSize) {
        throw OtherSettings(description: "\(PretrainedFiles.model): made with other settings (\(found)), not these")
    }
    return (model, tokenizer)
}

/// The pretrained encoder of this lesson's default run for `seed`, for lessons 07 and 08: loaded
/// from `outDir` when a valid model and vocabulary are there, otherwise pretrained now with
/// the default settings (about 20 s in release) and saved there for next time (also when the
/// model there was made with other settings). A folder that cannot be read (a file cut short,
/// a config that disagrees with the weights or the tokenizer) stops with a message instead.
public func pretrainedEncoder(seed: Int = 42, outDir: String = PretrainedFiles.defaultFolder) throws -> (model: RobertaForMaskedLM, tokenizer: WordTokenizer) {
    var settings = PretrainingSettings()
    settings.seed = seed
    // A damaged folder (a copy cut short, an edit) is a surprise worth a message, not something
    // to overwrite quietly; a whole model from other settings is retrained.
    let modelURL = URL(fileURLWithPath: outDir).appendingPathComponent(PretrainedFiles.model)
    if FileManager.default.fileExists(atPath: modelURL.path) {
        do {
            _ = try Safetensors.load(from: modelURL)
            return try loadPretrained(from: outDir, settings: settings)
        } catch is OtherSettings {
            // retrained below
        } catch {
            throw SafetensorsError("lesson 06's model is damaged: \(error); delete it to pretrain again, or rerun lesson-06-masked-language-modeling")
        }
    }
    let run = try pretrain(settings, corpus: settings.corpus())
    try savePretrained(run.model, tokenizer: run.tokenizer, settings: settings, to: outDir)
    return (run.model, run.tokenizer)
}

/// A readable model, made by a run with other settings than the ones asked for.
struct OtherSettings: Error, CustomStringConvertible {
    let description: String
}

/// What identifies a run's weights: the sizes, the corpus and the training settings.
func metadata(_ s: PretrainingSettings, vocabSize: Int) -> [String: String] {
    ["format": "pt", "lesson": "06-masked-language-modeling", "vocab_size": "\(vocabSize)",
     "hidden_size": "\(s.hiddenSize)", "num_hidden_layers": "\(s.numHiddenLayers)",
     "num_attention_heads": "\(s.numAttentionHeads)", "intermediate_size": "\(s.intermediateSize)",
     "max_position_embeddings": "\(s.maxSeqLength + 2)",
     "training": "seed \(s.seed), lr \(s.learningRate), batch \(s.perDeviceTrainBatchSize), epochs \(s.numTrainEpochs), max_steps \(s.maxSteps.map(String.init) ?? "none"), warmup \(s.warmupSteps), weight_decay \(s.weightDecay), beta2 \(s.adamBeta2), mlm \(s.mlmProbability), corpus \(s.corpusSize)/\(s.validationFraction)/\(s.factShare), dropout \(s.dropout), init \(s.initializerRange)"]
}
