import Foundation

/// Saving and loading only what LoRA trained, as PEFT's `save_pretrained` /
/// `PeftModel.from_pretrained`: the `lora_A` / `lora_B` weights and the `modulesToSave`, never
/// the frozen base. The adapter of a 125M-parameter model is a few megabytes; anyone with the
/// same base model can load it.
///
/// The file is safetensors with the model's own parameter names
/// (`roberta.encoder.layer.0.attention.self.query.lora_A.weight`, `classifier.dense.weight`);
/// PEFT prefixes them with `base_model.model.`. The config travels in the file's metadata
/// (PEFT writes it to adapter_config.json beside the weights), so loading needs nothing else.
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

    /// Writes the adapter (not the base) to `url`, atomically, with the config as metadata.
    public func saveAdapter(to url: URL, config: LoRAConfig) throws {
        var metadata = [
            "format": "pt", "peft_type": "LORA",
            "r": String(config.r), "lora_alpha": String(config.loraAlpha), "lora_dropout": String(config.loraDropout),
            "target_modules": config.targetModules.joined(separator: ","),
            "modules_to_save": config.modulesToSave.joined(separator: ","),
        ]
        if config.useRslora { metadata["use_rslora"] = "true" }   // absent means false, as in PEFT configs before rsLoRA
        try Safetensors.save(adapterStateDict(config: config), to: url, metadata: metadata)
    }

    /// Reads the config from an adapter file's metadata.
    public static func adapterConfig(at url: URL) throws -> LoRAConfig {
        let (_, metadata) = try Safetensors.load(from: url)
        let file = url.lastPathComponent
        guard metadata["peft_type"] == "LORA", let r = metadata["r"].flatMap({ Int($0) }),
              let alpha = metadata["lora_alpha"].flatMap({ Float($0) }),
              let dropout = metadata["lora_dropout"].flatMap({ Float($0) }),
              let targets = metadata["target_modules"] else {
            throw SafetensorsError("\(file): not a LoRA adapter (its metadata lacks peft_type LORA, r, lora_alpha, lora_dropout or target_modules)")
        }
        let list = { (s: String) in s.split(separator: ",").map(String.init) }
        return LoRAConfig(r: r, loraAlpha: alpha, loraDropout: dropout, targetModules: list(targets),
                          modulesToSave: list(metadata["modules_to_save"] ?? ""), useRslora: metadata["use_rslora"] == "true")
    }

    /// Puts the adapter in `url` on this (base) model: applies its config with `getPeftModel`,
    /// then copies the saved tensors in. Every adapter tensor of the model must be in the file and
    /// the file may hold nothing else. Returns the config.
    @discardableResult
    public func loadAdapter(from url: URL, generator: Generator) throws -> LoRAConfig {
        let config = try Self.adapterConfig(at: url)
        let (tensors, _) = try Safetensors.load(from: url)
        let file = url.lastPathComponent
        getPeftModel(self, config, generator: generator)
        let own = adapterStateDict(config: config)
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
}
