import Foundation

/// Saving and loading only what LoRA trained, as PEFT's `save_pretrained` /
/// `PeftModel.from_pretrained`: the `lora_A` / `lora_B` weights and the `modulesToSave`, never
/// the frozen base. The adapter of a 125M-parameter model is a few megabytes; anyone with the
/// same base model can load it.
///
/// The folder is PEFT's: `adapter_config.json` beside `adapter_model.safetensors`, whose keys
/// are the model's own parameter names behind PEFT's `base_model.model.` prefix
/// (`base_model.model.classifier.dense.weight`), so `PeftModel.from_pretrained` loads it.
extension Module {
    /// The tensors an adapter file holds: every `lora_A` / `lora_B` weight and every parameter
    /// of a module matched by `modulesToSave`, in declaration order.
    public func adapterStateDict(config: LoRAConfig) -> [(String, Tensor)] {
        let keep = Set(namedModules().filter { LoRAConfig.matches($0.0, config.modulesToSave) }.map(\.0))
        return namedParameters().filter { name, _ in
            name.contains(".lora_A.") || name.contains(".lora_B.") || name.hasPrefix("lora_")
                || keep.contains { name.hasPrefix($0 + ".") }
        }
    }

    /// Writes the adapter (not the base) as PEFT's `save_pretrained` does: a folder with
    /// `adapter_config.json` and `adapter_model.safetensors`, whose keys carry PEFT's prefix
    /// (`base_model.model.roberta.encoder.layer.0.attention.self.query.lora_A.weight`, no adapter
    /// name). `taskType` is PEFT's (`SEQ_CLS`, `CAUSAL_LM`, ...); `baseModelNameOrPath` says
    /// which base it was trained on. The folder is written whole or not at all.
    public func saveAdapter(to folder: URL, config: LoRAConfig, taskType: String? = nil, baseModelNameOrPath: String? = nil) throws {
        let tensors = adapterStateDict(config: config).map { (PeftFiles.prefix + $0.0, $0.1) }
        try AtomicFolder.write(folder) { temporary in
            try AtomicFile.write(ConfigJSON.encode(PeftFiles.configJSON(config, taskType: taskType, baseModelNameOrPath: baseModelNameOrPath)),
                                 to: temporary.appendingPathComponent(PretrainedFolder.adapterConfig))
            try Safetensors.save(tensors, to: temporary.appendingPathComponent(PretrainedFolder.adapterWeights), metadata: ["format": "pt"])
        }
    }

    /// Reads the config of an adapter: a PEFT folder's `adapter_config.json`, or the metadata of
    /// a single `adapter_model.safetensors` in the layout MiniTorch wrote before.
    public static func adapterConfig(at url: URL) throws -> LoRAConfig {
        try PeftFiles.read(url).config
    }

    /// Puts the adapter at `url` (a PEFT folder, or an older single file) on this (base) model:
    /// applies its config with `getPeftModel`, then copies the saved tensors in. Every adapter
    /// tensor of the model must be in the file and the file may hold nothing else. Returns the
    /// config.
    @discardableResult
    public func loadAdapter(from url: URL, generator: Generator) throws -> LoRAConfig {
        let (config, tensors, file) = try PeftFiles.read(url)
        let own = adapterStateDict(config: config, applying: generator)
        let missing = own.map(\.0).filter { tensors[$0] == nil }
        let ownNames = Set(own.map(\.0))
        let unexpected = tensors.keys.sorted().filter { !ownNames.contains($0) }
        if !missing.isEmpty || !unexpected.isEmpty {
            throw SafetensorsError("\(file): does not fit \(type(of: self)): missing \(missing.prefix(4)), unexpected \(unexpected.prefix(4)) (was it trained on a different base model?)")
        }
        for (name, p) in own {
            let t = tensors[name]!
            if t.shape != p.shape {
                throw SafetensorsError("\(file): \(name) has shape \(show(t.shape)) in the file, \(show(p.shape)) in the model")
            }
            noGrad { p.copyFrom(t) }
        }
        return config
    }

    /// The adapter tensors this model would have with `config` applied (it applies it).
    private func adapterStateDict(config: LoRAConfig, applying generator: Generator) -> [(String, Tensor)] {
        getPeftModel(self, config, generator: generator)
        return adapterStateDict(config: config)
    }
}

/// The two adapter layouts MiniTorch reads: PEFT's folder (what it writes now) and the single
/// safetensors file with the config in its metadata (what it wrote before).
public enum PeftFiles {
    /// PEFT's key prefix: the `PeftModel` wraps a `LoraModel` (`base_model`) around the model.
    public static let prefix = "base_model.model."

    /// `adapter_config.json` as PEFT's `LoraConfig.save_pretrained` writes it, with the fields
    /// MiniTorch's LoRA has; the others at PEFT's defaults.
    public static func configJSON(_ c: LoRAConfig, taskType: String?, baseModelNameOrPath: String?) -> [String: Any] {
        [
            "peft_type": "LORA", "task_type": taskType.map { $0 as Any } ?? NSNull(),
            "r": c.r, "lora_alpha": c.loraAlpha, "lora_dropout": c.loraDropout,
            "target_modules": c.targetModules, "modules_to_save": c.modulesToSave.isEmpty ? NSNull() : c.modulesToSave,
            "bias": "none", "fan_in_fan_out": false, "use_rslora": c.useRslora, "use_dora": false,
            "init_lora_weights": true, "inference_mode": true,
            "base_model_name_or_path": baseModelNameOrPath.map { $0 as Any } ?? NSNull(),
            "layers_to_transform": NSNull(), "layers_pattern": NSNull(), "rank_pattern": [String: Any](),
            "alpha_pattern": [String: Any](), "revision": NSNull(),
        ]
    }

    /// The config, the tensors under MiniTorch's names (PEFT's prefix taken off) and the file's
    /// name for messages.
    static func read(_ url: URL) throws -> (config: LoRAConfig, tensors: [String: Tensor], file: String) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw SafetensorsError("\(url.relativePath): no adapter here (expected a folder with \(PretrainedFolder.adapterConfig) and \(PretrainedFolder.adapterWeights))")
        }
        if !isFolder.boolValue { return try readSingleFile(url) }
        let configURL = url.appendingPathComponent(PretrainedFolder.adapterConfig)
        let f = ConfigFields(try ConfigJSON.read(configURL), file: configURL.relativePath)
        let peftType = try f.string("peft_type", default: "")
        guard peftType == "LORA" else {
            throw SafetensorsError("\(configURL.relativePath): peft_type \"\(peftType)\" is not LORA, the only adapter MiniTorch has")
        }
        for (flag, name) in [("use_dora", "DoRA"), ("fan_in_fan_out", "fan_in_fan_out (GPT-2 Conv1D layers)")] where try f.bool(flag, default: false) {
            throw SafetensorsError("\(configURL.relativePath): \(flag) is true; MiniTorch's LoRA has no \(name)")
        }
        if try f.string("bias", default: "none") != "none" {
            throw SafetensorsError("\(configURL.relativePath): bias is \(f.values["bias"]!); MiniTorch's LoRA trains no biases (bias \"none\")")
        }
        let config = LoRAConfig(r: try f.int("r", default: 8), loraAlpha: try f.float("lora_alpha", default: 8),
                                loraDropout: try f.float("lora_dropout", default: 0),
                                targetModules: try f.strings("target_modules"),
                                modulesToSave: try f.strings("modules_to_save", default: []),
                                useRslora: try f.bool("use_rslora", default: false))
        let weightsURL = url.appendingPathComponent(PretrainedFolder.adapterWeights)
        let (raw, _) = try Safetensors.load(from: weightsURL)
        var tensors: [String: Tensor] = [:]
        for (key, t) in raw.sorted(by: { $0.key < $1.key }) {
            guard key.hasPrefix(prefix) else {
                throw SafetensorsError("\(weightsURL.relativePath): key \(key) lacks PEFT's prefix \(prefix)")
            }
            tensors[String(key.dropFirst(prefix.count))] = t
        }
        return (config, tensors, weightsURL.relativePath)
    }

    /// The older layout: one safetensors file, MiniTorch's names, the config in the metadata.
    private static func readSingleFile(_ url: URL) throws -> (config: LoRAConfig, tensors: [String: Tensor], file: String) {
        let (tensors, metadata) = try Safetensors.load(from: url)
        let file = url.lastPathComponent
        guard metadata["peft_type"] == "LORA", let r = metadata["r"].flatMap({ Int($0) }),
              let alpha = metadata["lora_alpha"].flatMap({ Float($0) }),
              let dropout = metadata["lora_dropout"].flatMap({ Float($0) }),
              let targets = metadata["target_modules"] else {
            throw SafetensorsError("\(file): not a LoRA adapter (neither a PEFT folder nor a file whose metadata has peft_type LORA, r, lora_alpha, lora_dropout and target_modules)")
        }
        let list = { (s: String) in s.split(separator: ",").map(String.init) }
        let config = LoRAConfig(r: r, loraAlpha: alpha, loraDropout: dropout, targetModules: list(targets),
                                modulesToSave: list(metadata["modules_to_save"] ?? ""), useRslora: metadata["use_rslora"] == "true")
        return (config, tensors, file)
    }
}
