import Foundation

/// A GPT-2 model as Hugging Face's `save_pretrained` lays it out, so `transformers` opens it with
/// `GPT2LMHeadModel.from_pretrained(folder)`:
///
///     config.json              GPT2Config's fields, "model_type": "gpt2"
///     model.safetensors        transformer.wte.weight, transformer.h.0.attn.c_attn.weight, ...
///     generation_config.json   how to decode (bos/eos ids, sampling settings)
///
/// The weights keep GPT-2's Conv1D layout, [in, out], and `lm_head.weight` is not written: it is
/// `transformer.wte.weight`, which Hugging Face ties back on loading. The folder is written
/// whole or not at all (a hidden temporary folder renamed into place).
extension GPT2LMHeadModel {
    public static let configFile = "config.json"
    public static let weightsFile = "model.safetensors"
    public static let generationConfigFile = "generation_config.json"

    /// Writes the model (and `extraFiles`, e.g. the tokenizer's) into `folder`, replacing it.
    public func savePretrained(_ folder: URL, generationConfig: GenerationConfig? = nil,
                               extraFiles: (URL) throws -> Void = { _ in }) throws {
        let parent = folder.deletingLastPathComponent()
        let temporary = parent.appendingPathComponent(".\(folder.lastPathComponent).\(getpid()).\(UUID().uuidString).tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        do {
            try AtomicFile.write(Self.configJSON(config), to: temporary.appendingPathComponent(Self.configFile))
            try save(to: temporary.appendingPathComponent(Self.weightsFile), metadata: ["format": "pt"])
            let generation = generationConfig ?? GenerationConfig(eosTokenId: config.eosTokenId, bosTokenId: config.bosTokenId)
            try AtomicFile.write(Self.json(generation), to: temporary.appendingPathComponent(Self.generationConfigFile))
            try extraFiles(temporary)
            if FileManager.default.fileExists(atPath: folder.path) { try FileManager.default.removeItem(at: folder) }
            try FileManager.default.moveItem(at: temporary, to: folder)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw SafetensorsError("cannot save the model to \(folder.path): \(error)")
        }
    }

    /// Reads a folder written by `savePretrained` (or by `transformers` for a GPT-2 model
    /// without biases or sizes MiniTorch lacks). Throws one line naming what is wrong.
    public static func fromPretrained(_ folder: URL, attnImplementation: GPT2Config.AttentionImplementation = .fused) throws -> GPT2LMHeadModel {
        let configURL = folder.appendingPathComponent(configFile)
        guard let data = FileManager.default.contents(atPath: configURL.path) else {
            throw SafetensorsError("\(configURL.path): not found (is \(folder.path) a model folder written by savePretrained?)")
        }
        var config: GPT2Config
        do {
            config = try JSONDecoder().decode(GPT2Config.self, from: data)
        } catch {
            throw SafetensorsError("\(configURL.path): not a GPT-2 config.json (\(error))")
        }
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let type = object["model_type"] as? String, type != "gpt2" {
            throw SafetensorsError("\(configURL.path): model_type is \"\(type)\", not \"gpt2\"")
        }
        config.attnImplementation = attnImplementation
        let model = GPT2LMHeadModel(config: config, generator: Generator(seed: 0))
        try model.load(from: folder.appendingPathComponent(weightsFile))
        return model
    }

    /// The generation settings saved beside the model.
    public static func generationConfig(in folder: URL) throws -> GenerationConfig {
        let url = folder.appendingPathComponent(generationConfigFile)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw SafetensorsError("\(url.path): not found") }
        do { return try JSONDecoder().decode(GenerationConfig.self, from: data) } catch {
            throw SafetensorsError("\(url.path): not a generation_config.json (\(error))")
        }
    }

    /// config.json: GPT2Config's fields plus what `AutoConfig` needs to pick the class.
    static func configJSON(_ config: GPT2Config) throws -> String {
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as! [String: Any]
        object["model_type"] = "gpt2"
        object["architectures"] = ["GPT2LMHeadModel"]
        object["n_ctx"] = config.nPositions
        object["tie_word_embeddings"] = true
        object["scale_attn_weights"] = true
        object["torch_dtype"] = "float32"
        return try prettyJSON(object)
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        try prettyJSON(JSONSerialization.jsonObject(with: JSONEncoder().encode(value)))
    }

    static func prettyJSON(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
