import Foundation

/// The file names of a folder that `transformers`' `save_pretrained` writes and
/// `from_pretrained` reads (and PEFT's, for adapters).
public enum PretrainedFolder {
    public static let config = "config.json"
    public static let weights = "model.safetensors"
    public static let tokenizer = "tokenizer.json"
    public static let tokenizerConfig = "tokenizer_config.json"
    public static let specialTokensMap = "special_tokens_map.json"
    public static let generationConfig = "generation_config.json"
    public static let adapterConfig = "adapter_config.json"
    public static let adapterWeights = "adapter_model.safetensors"
}

/// `config.json` as transformers' `RobertaConfig.to_json_string()` writes it: the same field
/// names, a float32 model, `tie_word_embeddings` on (the MLM decoder shares the word
/// embeddings), the labels as `id2label` / `label2id`.
extension RobertaConfig {
    public func configJSON(architecture: String) -> [String: Any] {
        var json: [String: Any] = [
            "architectures": [architecture], "model_type": "roberta", "torch_dtype": "float32",
            "vocab_size": vocabSize, "hidden_size": hiddenSize, "num_hidden_layers": numHiddenLayers,
            "num_attention_heads": numAttentionHeads, "intermediate_size": intermediateSize,
            "hidden_act": hiddenAct, "hidden_dropout_prob": hiddenDropoutProb,
            "attention_probs_dropout_prob": attentionProbsDropoutProb,
            "max_position_embeddings": maxPositionEmbeddings, "type_vocab_size": typeVocabSize,
            "initializer_range": initializerRange, "layer_norm_eps": layerNormEps,
            "pad_token_id": padTokenId, "bos_token_id": bosTokenId, "eos_token_id": eosTokenId,
            "position_embedding_type": "absolute", "tie_word_embeddings": true, "use_cache": true,
            "classifier_dropout": classifierDropout.map { $0 as Any } ?? NSNull(),
        ]
        // transformers writes the labels for every architecture (num_labels is read from them).
        json["id2label"] = Dictionary(uniqueKeysWithValues: (0..<numLabels).map { ("\($0)", "LABEL_\($0)") })
        json["label2id"] = Dictionary(uniqueKeysWithValues: (0..<numLabels).map { ("LABEL_\($0)", $0) })
        return json
    }

    /// Reads a RoBERTa `config.json`; transformers' defaults fill the fields it leaves out.
    public init(configJSON json: [String: Any], file: String = PretrainedFolder.config) throws {
        let f = ConfigFields(json, file: file)
        let modelType = try f.string("model_type", default: "")
        guard modelType == "roberta" else {
            throw SafetensorsError("\(file): model_type \"\(modelType)\" is not a RoBERTa (MiniTorch reads \"roberta\" here)")
        }
        let labels = (json["id2label"] as? [String: Any])?.count
        self.init(vocabSize: try f.int("vocab_size"), hiddenSize: try f.int("hidden_size", default: 768),
                  numHiddenLayers: try f.int("num_hidden_layers", default: 12),
                  numAttentionHeads: try f.int("num_attention_heads", default: 12),
                  intermediateSize: try f.int("intermediate_size", default: 3072),
                  hiddenAct: try f.string("hidden_act", default: "gelu"),
                  hiddenDropoutProb: try f.float("hidden_dropout_prob", default: 0.1),
                  attentionProbsDropoutProb: try f.float("attention_probs_dropout_prob", default: 0.1),
                  maxPositionEmbeddings: try f.int("max_position_embeddings", default: 512),
                  typeVocabSize: try f.int("type_vocab_size", default: 2),
                  initializerRange: try f.float("initializer_range", default: 0.02),
                  layerNormEps: try f.float("layer_norm_eps", default: 1e-12),
                  padTokenId: try f.int("pad_token_id", default: 1), bosTokenId: try f.int("bos_token_id", default: 0),
                  eosTokenId: try f.int("eos_token_id", default: 2),
                  numLabels: try f.int("num_labels", default: labels ?? 2),
                  classifierDropout: try f.optionalFloat("classifier_dropout"))
        if try f.string("position_embedding_type", default: "absolute") != "absolute" {
            throw SafetensorsError("\(file): position_embedding_type \(json["position_embedding_type"]!) is not supported (MiniTorch's RoBERTa has absolute positions)")
        }
        if !["gelu", "gelu_new", "gelu_pytorch_tanh", "relu"].contains(hiddenAct) {
            throw SafetensorsError("\(file): hidden_act \"\(hiddenAct)\" is not one MiniTorch has (gelu, gelu_new, gelu_pytorch_tanh, relu)")
        }
        if numAttentionHeads < 1 || hiddenSize % numAttentionHeads != 0 {
            throw SafetensorsError("\(file): hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(numAttentionHeads)")
        }
    }

    /// Checks the sizes in this config against the tensors of a weights file, so a config from
    /// one model and weights from another fail with the field and both values, before anything
    /// is built.
    func checkSizes(against tensors: [String: Tensor], file: String, configFile: String, prefix: String = "roberta.") throws {
        func expect(_ field: String, _ value: Int, _ name: String, axis: Int) throws {
            guard let t = tensors[name] else { return }   // a missing tensor is reported by load
            if t.shape.count <= axis || t.shape[axis] != value {
                throw SafetensorsError("\(configFile): \(field) is \(value), but \(file) has \(name) of shape \(show(t.shape))")
            }
        }
        try expect("vocab_size", vocabSize, prefix + "embeddings.word_embeddings.weight", axis: 0)
        try expect("hidden_size", hiddenSize, prefix + "embeddings.word_embeddings.weight", axis: 1)
        try expect("max_position_embeddings", maxPositionEmbeddings, prefix + "embeddings.position_embeddings.weight", axis: 0)
        try expect("type_vocab_size", typeVocabSize, prefix + "embeddings.token_type_embeddings.weight", axis: 0)
        try expect("intermediate_size", intermediateSize, prefix + "encoder.layer.0.intermediate.dense.weight", axis: 0)
        try expect("num_labels", numLabels, "classifier.out_proj.weight", axis: 0)
        let layers = Set(tensors.keys.compactMap { name -> Int? in
            guard name.hasPrefix(prefix + "encoder.layer.") else { return nil }
            return Int(name.dropFirst((prefix + "encoder.layer.").count).prefix { $0 != "." })
        })
        if layers.count != numHiddenLayers {
            throw SafetensorsError("\(configFile): num_hidden_layers is \(numHiddenLayers), but \(file) has \(layers.count) layers")
        }
    }
}

/// `save_pretrained` / `from_pretrained` for the RoBERTa models: a folder with `config.json`
/// and `model.safetensors` (Hugging Face's tensor names, float32, the tied decoder stored once
/// as `transformers` stores it), plus the tokenizer's files when one is given. The folder is
/// written whole or not at all.
extension RobertaForMaskedLM {
    public func savePretrained(_ folder: URL, tokenizer: WordTokenizer? = nil, metadata: [String: String] = [:]) throws {
        try savePretrainedFolder(self, config.configJSON(architecture: "RobertaForMaskedLM"), to: folder,
                                 tokenizer: tokenizer, maxLength: config.maxSequenceLength, metadata: metadata)
    }

    /// The model in `folder`, in eval mode; throws one line if anything disagrees.
    public static func fromPretrained(_ folder: URL) throws -> RobertaForMaskedLM {
        try loadPretrainedFolder(folder) { RobertaForMaskedLM(config: $0, generator: Generator(seed: 0)) }
    }
}

extension RobertaForSequenceClassification {
    public func savePretrained(_ folder: URL, tokenizer: WordTokenizer? = nil, metadata: [String: String] = [:]) throws {
        try savePretrainedFolder(self, config.configJSON(architecture: "RobertaForSequenceClassification"), to: folder,
                                 tokenizer: tokenizer, maxLength: config.maxSequenceLength, metadata: metadata)
    }

    public static func fromPretrained(_ folder: URL) throws -> RobertaForSequenceClassification {
        try loadPretrainedFolder(folder) { RobertaForSequenceClassification(config: $0, generator: Generator(seed: 0)) }
    }
}

/// The bare encoder, as transformers' `RobertaModel`: the same tensor names without a head's
/// `roberta.` prefix. transformers' RobertaModel also has a pooler (a dense layer and tanh over
/// the `<s>` state, which BERT trained on next-sentence prediction and RoBERTa dropped); MiniTorch's
/// has none. Loading skips a folder's `pooler.*` tensors; transformers gives a folder saved here
/// a freshly initialised pooler (its warning says so), and `last_hidden_state` is unaffected.
extension RobertaModel {
    public static let poolerPrefix = "pooler."

    public func savePretrained(_ folder: URL, tokenizer: WordTokenizer? = nil, metadata: [String: String] = [:]) throws {
        try savePretrainedFolder(self, config.configJSON(architecture: "RobertaModel"), to: folder,
                                 tokenizer: tokenizer, maxLength: config.maxSequenceLength, metadata: metadata)
    }

    public static func fromPretrained(_ folder: URL) throws -> RobertaModel {
        try loadPretrainedFolder(folder, prefix: "", skipping: poolerPrefix) { RobertaModel(config: $0, generator: Generator(seed: 0)) }
    }
}

private func savePretrainedFolder(_ model: Module, _ config: [String: Any], to folder: URL, tokenizer: WordTokenizer?,
                                  maxLength: Int, metadata: [String: String]) throws {
    try AtomicFolder.write(folder) { temporary in
        try ConfigJSON.encode(config).write(to: temporary.appendingPathComponent(PretrainedFolder.config))
        try model.save(to: temporary.appendingPathComponent(PretrainedFolder.weights), metadata: ["format": "pt"].merging(metadata) { $1 })
        try tokenizer?.saveFiles(to: temporary, modelMaxLength: maxLength)
    }
}

/// `prefix`: where the encoder's tensors sit ("roberta." under a head); `skipping`: a prefix of
/// tensors the folder may hold that MiniTorch's model has no place for.
private func loadPretrainedFolder<M: Module>(_ folder: URL, prefix: String = "roberta.", skipping: String? = nil,
                                             make: (RobertaConfig) -> M) throws -> M {
    let configURL = folder.appendingPathComponent(PretrainedFolder.config)
    let weightsURL = folder.appendingPathComponent(PretrainedFolder.weights)
    let configFile = configURL.relativePath
    let config = try RobertaConfig(configJSON: ConfigJSON.read(configURL), file: configFile)
    var (tensors, _) = try Safetensors.load(from: weightsURL)
    if let skipping { tensors = tensors.filter { !$0.key.hasPrefix(skipping) } }
    try config.checkSizes(against: tensors, file: weightsURL.relativePath, configFile: configFile, prefix: prefix)
    let model = make(config)
    try model.load(tensors, file: weightsURL.relativePath)
    model.eval()
    return model
}
