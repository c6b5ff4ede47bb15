import Foundation
import Testing
@testable import MiniTorch

/// `savePretrained` / `fromPretrained`: the folder `transformers` writes and reads.
@Suite("Pretrained folders")
struct PretrainedFolderTests {
    static let config = RobertaConfig(vocabSize: 30, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 2,
                                      intermediateSize: 32, maxPositionEmbeddings: 12, numLabels: 3)
    static let tokenizer = WordTokenizer(corpus: ["the capital of france is paris .", "berlin is in germany , isn't it ?"])
    static let ids = [0, 5, 6, 7, 2, 0, 8, 9, 2, 1]
    static let mask = [1, 1, 1, 1, 1, 1, 1, 1, 1, 0]

    static func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("pretrained-\(UUID().uuidString)")
    }

    static func message(_ body: () throws -> Void) -> String {
        do { try body(); return "no error" } catch { return "\(error)" }
    }

    @Test func maskedLMFolderHasTransformersFilesAndLoadsBackExactly() throws {
        let model = RobertaForMaskedLM(config: Self.config, generator: Generator(seed: 1))
        model.eval()
        let dir = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = dir.appendingPathComponent("model")
        try model.savePretrained(folder, tokenizer: Self.tokenizer)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
                == ["config.json", "model.safetensors", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["model"])   // no temporary left

        let json = try ConfigJSON.read(folder.appendingPathComponent("config.json"))
        #expect(json["model_type"] as? String == "roberta" && json["architectures"] as? [String] == ["RobertaForMaskedLM"])
        for (key, value) in [("vocab_size", 30), ("hidden_size", 16), ("num_hidden_layers", 2), ("num_attention_heads", 2),
                             ("intermediate_size", 32), ("max_position_embeddings", 12), ("type_vocab_size", 1), ("pad_token_id", 1),
                             ("bos_token_id", 0), ("eos_token_id", 2)] {
            #expect((json[key] as? NSNumber)?.intValue == value, "\(key)")
        }
        #expect(json["hidden_act"] as? String == "gelu" && json["tie_word_embeddings"] as? Bool == true)
        let text = try String(contentsOf: folder.appendingPathComponent("config.json"), encoding: .utf8)
        #expect(text.contains("\"layer_norm_eps\" : 1e-05") && text.contains("\"hidden_dropout_prob\" : 0.1,"), "\(text)")

        // The tied decoder weight is stored once, as transformers stores it.
        let (tensors, metadata) = try Safetensors.load(from: folder.appendingPathComponent("model.safetensors"))
        #expect(tensors["lm_head.decoder.weight"] == nil && tensors["roberta.embeddings.word_embeddings.weight"]?.shape == [30, 16])
        #expect(metadata["format"] == "pt")

        let loaded = try RobertaForMaskedLM.fromPretrained(folder)
        #expect(loaded.config == model.config)
        #expect(!loaded.training)
        #expect(loaded(inputIds: Self.ids, attentionMask: Self.mask, shape: [2, 5]).scalars
                == model(inputIds: Self.ids, attentionMask: Self.mask, shape: [2, 5]).scalars)
        let tokenizer = try WordTokenizer.fromPretrained(folder)
        #expect(tokenizer.vocabulary == Self.tokenizer.vocabulary)
    }

    @Test func bareEncoderFolderHasNoPrefixAndSkipsAPooler() throws {
        let model = RobertaModel(config: Self.config, generator: Generator(seed: 3))
        model.eval()
        let dir = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = dir.appendingPathComponent("encoder")
        try model.savePretrained(folder)
        let json = try ConfigJSON.read(folder.appendingPathComponent("config.json"))
        #expect(json["architectures"] as? [String] == ["RobertaModel"])
        let weights = folder.appendingPathComponent("model.safetensors")
        var (tensors, _) = try Safetensors.load(from: weights)
        // transformers' RobertaModel names: no "roberta." prefix.
        #expect(tensors["embeddings.word_embeddings.weight"]?.shape == [30, 16])
        #expect(!tensors.keys.contains { $0.hasPrefix("roberta.") || $0.hasPrefix("pooler.") })
        let loaded = try RobertaModel.fromPretrained(folder)
        let hidden = model(inputIds: Self.ids, attentionMask: Self.mask, shape: [2, 5]).scalars   // [2, 5, 16]
        #expect(loaded(inputIds: Self.ids, attentionMask: Self.mask, shape: [2, 5]).scalars == hidden)

        // A folder as transformers writes it, with a pooler, loads too (the pooler is skipped) ...
        tensors["pooler.dense.weight"] = Tensor.zeros([16, 16])
        tensors["pooler.dense.bias"] = Tensor.zeros([16])
        try Safetensors.save(tensors.sorted { $0.key < $1.key }, to: weights)
        #expect(try RobertaModel.fromPretrained(folder)(inputIds: Self.ids, attentionMask: Self.mask, shape: [2, 5]).scalars == hidden)
        // ... while any other foreign tensor is still an error, and a head's weights are not an encoder.
        tensors["extra.weight"] = Tensor.zeros([2])
        try Safetensors.save(tensors.sorted { $0.key < $1.key }, to: weights)
        #expect(Self.message { _ = try RobertaModel.fromPretrained(folder) }.contains("unexpected extra.weight"))
        let mlm = dir.appendingPathComponent("mlm")
        try RobertaForMaskedLM(config: Self.config, generator: Generator(seed: 1)).savePretrained(mlm)
        #expect(Self.message { _ = try RobertaModel.fromPretrained(mlm) }.contains("model.safetensors has 0 layers"))   // its layers sit under roberta.
    }

    @Test func classifierFolderKeepsItsLabels() throws {
        let model = RobertaForSequenceClassification(config: Self.config, generator: Generator(seed: 2))
        model.eval()
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try model.savePretrained(folder)
        let json = try ConfigJSON.read(folder.appendingPathComponent("config.json"))
        #expect((json["id2label"] as? [String: String]) == ["0": "LABEL_0", "1": "LABEL_1", "2": "LABEL_2"])
        let loaded = try RobertaForSequenceClassification.fromPretrained(folder)
        #expect(loaded.config.numLabels == 3)
        #expect(loaded(inputIds: Self.ids, attentionMask: Self.mask, shape: [2, 5]).scalars
                == model(inputIds: Self.ids, attentionMask: Self.mask, shape: [2, 5]).scalars)
    }

    @Test func tokenizerJSONIsTheWordTokenizerInTheTokenizersLibrarysParts() throws {
        let json = Self.tokenizer.tokenizerJSON()
        let model = json["model"] as! [String: Any]
        #expect(model["type"] as? String == "WordLevel" && model["unk_token"] as? String == "<unk>")
        #expect((model["vocab"] as! [String: Int])["paris"] == Self.tokenizer.tokenID("paris"))
        let added = json["added_tokens"] as! [[String: Any]]
        #expect(added.map { $0["content"] as! String } == WordTokenizer.specialTokens)
        #expect(added.allSatisfy { $0["special"] as? Bool == true && $0["normalized"] as? Bool == false })
        #expect((json["normalizer"] as! [String: String])["type"] == "Lowercase")
        let post = json["post_processor"] as! [String: Any]
        #expect(post["type"] as? String == "RobertaProcessing")
    }

    /// A config and weights that disagree, a missing tensor, another model type, a tokenizer of
    /// another size: one line naming the field and both values, and nothing returned.
    @Test func loadingChecksWhatItReads() throws {
        let model = RobertaForMaskedLM(config: Self.config, generator: Generator(seed: 1))
        let dir = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good")
        try model.savePretrained(good, tokenizer: Self.tokenizer)
        func variant(_ name: String, _ edit: (URL) throws -> Void) throws -> URL {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.copyItem(at: good, to: url)
            try edit(url)
            return url
        }
        func editConfig(_ url: URL, _ change: (inout [String: Any]) -> Void) throws {
            var json = try ConfigJSON.read(url.appendingPathComponent("config.json"))
            change(&json)
            try ConfigJSON.encode(json).write(to: url.appendingPathComponent("config.json"))
        }
        let wrongVocab = try variant("vocab") { try editConfig($0) { $0["vocab_size"] = 31 } }
        #expect(Self.message { _ = try RobertaForMaskedLM.fromPretrained(wrongVocab) }
                == "\(wrongVocab.relativePath)/config.json: vocab_size is 31, but \(wrongVocab.relativePath)/model.safetensors has roberta.embeddings.word_embeddings.weight of shape [30, 16]")
        let wrongLayers = try variant("layers") { try editConfig($0) { $0["num_hidden_layers"] = 3 } }
        #expect(Self.message { _ = try RobertaForMaskedLM.fromPretrained(wrongLayers) }.hasSuffix("config.json: num_hidden_layers is 3, but \(wrongLayers.relativePath)/model.safetensors has 2 layers"))
        let bert = try variant("bert") { try editConfig($0) { $0["model_type"] = "bert" } }
        #expect(Self.message { _ = try RobertaForMaskedLM.fromPretrained(bert) }.hasSuffix("config.json: model_type \"bert\" is not a RoBERTa (MiniTorch reads \"roberta\" here)"))
        let missing = try variant("missing") { url in
            let weights = url.appendingPathComponent("model.safetensors")
            let kept = try Safetensors.load(from: weights).tensors.filter { $0.key != "lm_head.bias" }
            try Safetensors.save(kept.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, to: weights)
        }
        #expect(Self.message { _ = try RobertaForMaskedLM.fromPretrained(missing) }.contains("missing lm_head.bias"))
        let noConfig = try variant("no-config") { try FileManager.default.removeItem(at: $0.appendingPathComponent("config.json")) }
        #expect(Self.message { _ = try RobertaForMaskedLM.fromPretrained(noConfig) } == "\(noConfig.relativePath)/config.json: not found (a Hugging Face folder has one)")
        let badEps = try variant("eps") { try editConfig($0) { $0["layer_norm_eps"] = "small" } }
        #expect(Self.message { _ = try RobertaForMaskedLM.fromPretrained(badEps) }.hasSuffix("config.json: layer_norm_eps is small (a number)"))
        let bpe = try variant("bpe") { url in
            let file = url.appendingPathComponent("tokenizer.json")
            var json = try ConfigJSON.read(file)
            json["model"] = ["type": "BPE", "vocab": [String: Int](), "merges": [String]()]
            try ConfigJSON.encode(json).write(to: file)
        }
        #expect(Self.message { _ = try WordTokenizer.fromPretrained(bpe) }.hasSuffix("tokenizer.json: has a BPE model; MiniTorch's WordTokenizer reads a WordLevel tokenizer.json"))
    }

    /// A folder that `transformers`' `save_pretrained` wrote (random weights, made by
    /// `make interop`'s script) loads here and gives transformers' logits to 1e-5.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["MINITORCH_HF_FOLDER"] != nil,
                   "set by make interop, which writes the folders with transformers"))
    func foldersWrittenByTransformersLoad() throws {
        let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["MINITORCH_HF_FOLDER"]!)
        for name in ["hf-roberta-mlm", "hf-roberta-classifier", "hf-roberta-model"] {
            let reference = try ConfigJSON.read(root.appendingPathComponent("\(name)-logits.json"))
            let ids = (reference["input_ids"] as! [[Int]]).flatMap { $0 }
            let mask = (reference["attention_mask"] as! [[Int]]).flatMap { $0 }
            let rows = (reference["input_ids"] as! [[Int]]).count
            let expected = (reference["logits"] as! [NSNumber]).map(\.floatValue)
            let folder = root.appendingPathComponent(name)
            let shape = [rows, ids.count / rows]
            let got: [Float]
            switch name {
            case "hf-roberta-mlm": got = try RobertaForMaskedLM.fromPretrained(folder)(inputIds: ids, attentionMask: mask, shape: shape).scalars
            case "hf-roberta-classifier": got = try RobertaForSequenceClassification.fromPretrained(folder)(inputIds: ids, attentionMask: mask, shape: shape).scalars
            default:
                // The bare encoder (last_hidden_state), then saved again by MiniTorch for
                // interop.py --minitorch-folders to open with transformers.
                let encoder = try RobertaModel.fromPretrained(folder)
                got = encoder(inputIds: ids, attentionMask: mask, shape: shape).scalars
                let again = root.appendingPathComponent("minitorch-roberta-model")
                try encoder.savePretrained(again)
                try ConfigJSON.encode(["input_ids": reference["input_ids"]!, "attention_mask": reference["attention_mask"]!,
                                       "last_hidden_state": got.map(Double.init)])
                    .write(to: root.appendingPathComponent("minitorch-roberta-model-outputs.json"))
            }
            #expect(got.count == expected.count)
            let diff = zip(got, expected).map { abs($0 - $1) }.max() ?? .infinity
            print("interop: \(name): max |MiniTorch - transformers| = \(diff)")
            #expect(diff < 1e-5, "\(name): \(diff)")
        }
    }
}
