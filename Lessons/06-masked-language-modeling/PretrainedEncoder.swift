import Foundation
import MiniTorch
import Workbook

/// Where lesson 06 leaves its pretrained model for lessons 07 and 08, and how they get it.
public enum PretrainedFiles {
    public static let defaultFolder = Workbook.defaultOutputPath(lesson: "06-masked-language-modeling")
    public static let model = "model.safetensors"
    /// One token per line, in id order (the special tokens first), as `vocab.txt` of BERT.
    public static let vocabulary = "vocab.txt"
}

/// Saves the model's weights (safetensors, with its sizes and seed as metadata) and the
/// tokenizer's vocabulary into `folder`, each written atomically.
public func savePretrained(_ model: RobertaForMaskedLM, tokenizer: WordTokenizer, settings: PretrainingSettings, to folder: String) throws {
    let url = URL(fileURLWithPath: folder)
    try AtomicFile.write(tokenizer.vocabulary.joined(separator: "\n") + "\n", to: url.appendingPathComponent(PretrainedFiles.vocabulary))
    try model.save(to: url.appendingPathComponent(PretrainedFiles.model), metadata: metadata(settings, vocabSize: tokenizer.vocabSize))
}

/// Loads what `savePretrained` wrote; throws if a file is missing, malformed, or was made with
/// other settings than `settings`.
public func loadPretrained(from folder: String, settings: PretrainingSettings) throws -> (model: RobertaForMaskedLM, tokenizer: WordTokenizer) {
    let url = URL(fileURLWithPath: folder)
    let vocabURL = url.appendingPathComponent(PretrainedFiles.vocabulary)
    guard let text = try? String(contentsOf: vocabURL, encoding: .utf8) else {
        throw SafetensorsError("\(vocabURL.relativePath): cannot read the vocabulary")
    }
    let vocabulary = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    guard Array(vocabulary.prefix(WordTokenizer.specialTokens.count)) == WordTokenizer.specialTokens,
          Set(vocabulary).count == vocabulary.count else {
        throw SafetensorsError("\(vocabURL.relativePath): not a vocabulary written by lesson 06")
    }
    let tokenizer = WordTokenizer(vocabulary: vocabulary)
    let model = RobertaForMaskedLM(config: settings.config(vocabSize: tokenizer.vocabSize), generator: Generator(seed: 0))
    let found = try model.load(from: url.appendingPathComponent(PretrainedFiles.model))
    if found != metadata(settings, vocabSize: tokenizer.vocabSize) {
        throw SafetensorsError("\(PretrainedFiles.model): made with other settings (\(found)), not the default run")
    }
    model.eval()
    return (model, tokenizer)
}

/// The pretrained encoder of this lesson's default run for `seed`, for lessons 07 and 08: loaded
/// from `outDir` when a valid model and vocabulary are there, otherwise pretrained now with
/// the default settings (about 20 s in release) and saved there for next time. A model file
/// that cannot be read as safetensors at all stops with a message instead.
public func pretrainedEncoder(seed: Int = 42, outDir: String = PretrainedFiles.defaultFolder) throws -> (model: RobertaForMaskedLM, tokenizer: WordTokenizer) {
    var settings = PretrainingSettings()
    settings.seed = seed
    // A model file that is not even valid safetensors (a copy cut short, an edit) is a surprise
    // worth a message, not something to overwrite quietly; one from other settings is retrained.
    let modelURL = URL(fileURLWithPath: outDir).appendingPathComponent(PretrainedFiles.model)
    if FileManager.default.fileExists(atPath: modelURL.path) {
        do {
            _ = try Safetensors.load(from: modelURL)
        } catch {
            throw SafetensorsError("lesson 06's model is damaged: \(error); delete it to pretrain again, or rerun lesson-06-masked-language-modeling")
        }
    }
    if let saved = try? loadPretrained(from: outDir, settings: settings) { return saved }
    let run = try pretrain(settings, corpus: settings.corpus())
    try savePretrained(run.model, tokenizer: run.tokenizer, settings: settings, to: outDir)
    return (run.model, run.tokenizer)
}

/// What identifies a run's weights: the sizes, the corpus and the training settings.
func metadata(_ s: PretrainingSettings, vocabSize: Int) -> [String: String] {
    ["format": "pt", "lesson": "06-masked-language-modeling", "vocab_size": "\(vocabSize)",
     "hidden_size": "\(s.hiddenSize)", "num_hidden_layers": "\(s.numHiddenLayers)",
     "num_attention_heads": "\(s.numAttentionHeads)", "intermediate_size": "\(s.intermediateSize)",
     "max_position_embeddings": "\(s.maxSeqLength + 2)",
     "training": "seed \(s.seed), lr \(s.learningRate), batch \(s.perDeviceTrainBatchSize), epochs \(s.numTrainEpochs), max_steps \(s.maxSteps.map(String.init) ?? "none"), warmup \(s.warmupSteps), weight_decay \(s.weightDecay), beta2 \(s.adamBeta2), mlm \(s.mlmProbability), corpus \(s.corpusSize)/\(s.validationFraction)/\(s.factShare), dropout \(s.dropout), init \(s.initializerRange)"]
}
