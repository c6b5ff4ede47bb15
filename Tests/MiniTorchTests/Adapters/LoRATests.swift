import Foundation
import Testing
@testable import MiniTorch

/// A stand-in for a quantised base: any layer mapping [..., in] -> [..., out] can carry LoRA.
final class FixedScaleLayer: Module, LinearLayer {
    let inFeatures: Int, outFeatures: Int
    init(features: Int) { inFeatures = features; outFeatures = features; super.init() }
    override func callAsFunction(_ x: Tensor) -> Tensor { x * 2 }
}

@Suite("LoRA adapters")
struct LoRATests {
    static let config = RobertaConfig(vocabSize: 40, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 2,
                                      intermediateSize: 32, hiddenDropoutProb: 0, attentionProbsDropoutProb: 0,
                                      maxPositionEmbeddings: 12)
    static let ids = [0, 5, 6, 7, 2, 0, 8, 9, 2, 1]
    static let mask = [1, 1, 1, 1, 1, 1, 1, 1, 1, 0]

    static func classifier(seed: UInt64 = 5) -> RobertaForSequenceClassification {
        RobertaForSequenceClassification(config: config, generator: Generator(seed: seed))
    }

    static func logits(_ m: RobertaForSequenceClassification) -> Tensor {
        m(inputIds: ids, attentionMask: mask, shape: [2, 5])
    }

    static func hidden(_ m: RobertaForSequenceClassification) -> Tensor {
        m.roberta(inputIds: ids, attentionMask: mask, shape: [2, 5])
    }

    /// Gives every B random values, so the adapters change the output.
    static func randomizeB(_ model: Module, seed: UInt64 = 11) {
        let g = Generator(seed: seed)
        for (_, l) in model.loraLayers() { l.lora_B.weight.copyFrom(.randn(l.lora_B.weight.shape, generator: g) * 0.3) }
    }

    static func maxAbsDiff(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
    }

    @Test func zeroBGivesTheBaseOutputBitForBit() {
        let g = Generator(seed: 1)
        let base = Linear(inFeatures: 6, outFeatures: 4, generator: g)
        let x = Tensor.randn([3, 5, 6], generator: g)
        let lora = LoRALinear(base: base, r: 2, loraAlpha: 4, generator: g)
        #expect(lora(x).scalars == base(x).scalars)
        #expect(lora.lora_B.weight.scalars.allSatisfy { $0 == 0 })

        let model = Self.classifier()
        let before = Self.logits(model).scalars
        getPeftModel(model, LoRAConfig(r: 4, loraAlpha: 8, targetModules: ["query", "value", "dense"], modulesToSave: ["classifier"]),
                     generator: Generator(seed: 2))
        #expect(model.loraLayers().count == 2 * 5)     // per layer: query, value and the three "dense" (the classifier's is saved in full)
        #expect(Self.logits(model).scalars == before)
    }

    @Test func loraDropoutActsOnTheAdapterBranchOnly() {
        let g = Generator(seed: 3)
        let base = Linear(inFeatures: 8, outFeatures: 8, generator: g)
        let lora = LoRALinear(base: base, r: 2, loraAlpha: 2, loraDropout: 0.5, generator: g)
        let x = Tensor.randn([4, 8], generator: g)
        #expect(lora(x).scalars == base(x).scalars)    // B = 0: the dropped adapter adds nothing, the base path is untouched
        lora.lora_B.weight.copyFrom(.randn([8, 2], generator: g))
        let a = lora(x).scalars, b = lora(x).scalars
        #expect(a != b)                                 // a fresh mask each call in training mode
        lora.eval()
        #expect(lora(x).scalars == lora(x).scalars)
    }

    @Test func initialisationIsPEFTs() {
        let lora = LoRALinear(base: Linear(inFeatures: 256, outFeatures: 32, generator: Generator(seed: 4)), r: 16, loraAlpha: 32,
                              generator: Generator(seed: 5))
        let a = lora.lora_A.weight
        #expect(a.shape == [16, 256] && lora.lora_B.weight.shape == [32, 16])
        let bound: Float = 1 / 16          // kaiming_uniform_(a = sqrt 5): 1 / sqrt(fan_in = 256)
        #expect(a.scalars.allSatisfy { abs($0) <= bound })
        let std = (a.scalars.map { $0 * $0 }.reduce(0, +) / Float(a.count)).squareRoot()
        #expect(abs(std - bound / Float(3).squareRoot()) < 0.002)   // U(-b, b) has std b / sqrt 3
        #expect(lora.scaling == 2)
    }

    @Test(arguments: [[5, 6], [2, 3, 6]])
    func gradientsReachAAndBAndTheInput(shape: [Int]) {
        let g = Generator(seed: 6)
        let lora = LoRALinear(base: Linear(inFeatures: 6, outFeatures: 4, generator: g), r: 3, loraAlpha: 5, generator: g)
        lora.base_layer.freeze()
        lora.lora_B.weight.copyFrom(.randn([4, 3], generator: g))   // with B = 0, A's gradient would be zero
        let x = Tensor.randn(shape, generator: g, requiresGrad: true)
        let r = gradCheck([x, lora.lora_A.weight, lora.lora_B.weight]) { xs in lora(xs[0]) }
        #expect(r.passed, "\(r)")
        lora(x).sum().backward()
        #expect((lora.base_layer as! Linear).weight.grad == nil)      // frozen: no gradient kept
    }

    @Test func gradientsPassThroughANonLinearBase() {
        let g = Generator(seed: 7)
        let lora = LoRALinear(base: FixedScaleLayer(features: 5), r: 2, loraAlpha: 2, generator: g)
        lora.lora_B.weight.copyFrom(.randn([5, 2], generator: g))
        let x = Tensor.randn([3, 5], generator: g, requiresGrad: true)
        #expect(gradCheck([x, lora.lora_A.weight, lora.lora_B.weight]) { xs in lora(xs[0]) }.passed)
    }

    @Test func mergeKeepsOutputsAndUnmergeRestoresTheWeights() {
        let model = Self.classifier()
        let original = model.namedParameters().map { ($0.0, $0.1.clone()) }
        getPeftModel(model, LoRAConfig(r: 4, loraAlpha: 8, targetModules: ["query", "key", "value", "dense"], modulesToSave: ["classifier"]),
                     generator: Generator(seed: 8))
        Self.randomizeB(model)
        model.eval()
        let adapted = Self.hidden(model)   // the encoder's output, O(1) after LayerNorm
        #expect(Self.maxAbsDiff(adapted, Self.hidden(Self.classifier())) > 1e-2)   // the adapters do something
        model.mergeAdapter()
        #expect(model.loraLayers().allSatisfy { $0.1.merged })
        #expect(Self.maxAbsDiff(Self.hidden(model), adapted) < 1e-5)
        model.mergeAdapter()                                             // a second merge is a no-op
        #expect(Self.maxAbsDiff(Self.hidden(model), adapted) < 1e-5)
        model.unmergeAdapter()
        #expect(Self.maxAbsDiff(Self.hidden(model), adapted) < 1e-5)
        let now = Dictionary(uniqueKeysWithValues: model.namedParameters())
        for (name, w) in original {
            let current = now[name] ?? now[name.replacingOccurrences(of: ".weight", with: ".base_layer.weight")
                                            .replacingOccurrences(of: ".bias", with: ".base_layer.bias")]!
            #expect(Self.maxAbsDiff(current, w) < 1e-6, "\(name)")
        }
    }

    @Test func mergeAndUnloadGivesAPlainModel() {
        let model = Self.classifier()
        let names = model.namedParameters().map(\.0)
        getPeftModel(model, LoRAConfig(r: 2, loraAlpha: 4), generator: Generator(seed: 9))
        Self.randomizeB(model)
        let adapted = Self.logits(model)
        model.mergeAndUnload()
        #expect(model.loraLayers().isEmpty)
        #expect(model.namedParameters().map(\.0) == names)
        #expect(Self.maxAbsDiff(Self.logits(model), adapted) < 1e-5)
    }

    @Test func parameterCountIsRTimesInPlusOutPerMatrix() {
        for r in [1, 2, 4, 8] {
            let model = Self.classifier()
            let total = model.parameterCount()
            getPeftModel(model, LoRAConfig(r: r, loraAlpha: Float(2 * r), targetModules: ["query", "value"]), generator: Generator(seed: 1))
            let h = Self.config.hiddenSize
            #expect(model.parameterCount(trainableOnly: true) == 2 * 2 * r * (h + h))   // 2 layers x {query, value}
            #expect(model.parameterCount() == total + 2 * 2 * r * (h + h))
        }
        let lora = LoRALinear(base: Linear(inFeatures: 10, outFeatures: 3, generator: Generator(seed: 1)), r: 4, loraAlpha: 4,
                              generator: Generator(seed: 2))
        #expect(lora.lora_A.weight.count + lora.lora_B.weight.count == 4 * (10 + 3))
    }

    @Test func onlyAdaptersAndModulesToSaveRequireGrad() {
        let model = Self.classifier()
        getPeftModel(model, LoRAConfig(r: 2, loraAlpha: 4, targetModules: ["query", "value"], modulesToSave: ["classifier"]),
                     generator: Generator(seed: 1))
        let trainable = model.namedParameters().filter(\.1.requiresGrad).map(\.0)
        var expected: [String] = []
        for i in 0..<2 {
            for m in ["query", "value"] {
                expected += ["roberta.encoder.layer.\(i).attention.self.\(m).lora_A.weight", "roberta.encoder.layer.\(i).attention.self.\(m).lora_B.weight"]
            }
        }
        expected += ["classifier.dense.weight", "classifier.dense.bias", "classifier.out_proj.weight", "classifier.out_proj.bias"]
        #expect(trainable.sorted() == expected.sorted())
        let names = Set(model.namedParameters().map(\.0))
        #expect(names.contains("roberta.encoder.layer.0.attention.self.query.base_layer.weight"))
        #expect(names.contains("roberta.encoder.layer.1.attention.self.value.base_layer.bias"))
        #expect(names.contains("roberta.encoder.layer.0.attention.self.key.weight"))   // not a target: unchanged name

        // After a few steps, the frozen weights are exactly as they were; the adapters moved.
        let frozen = model.namedParameters().filter { !$0.1.requiresGrad }.map { ($0.0, $0.1.clone()) }
        let optimizer = AdamW(parameters: model.parameters(), learningRate: 1e-2)
        for _ in 0..<3 {
            let loss = CrossEntropyLoss()(Self.logits(model), [1, 0])
            loss.backward()
            optimizer.step(); optimizer.zeroGrad()
        }
        let now = Dictionary(uniqueKeysWithValues: model.namedParameters())
        #expect(frozen.allSatisfy { name, w in now[name]!.scalars == w.scalars })
        #expect(model.loraLayers().allSatisfy { !$0.1.lora_B.weight.scalars.allSatisfy { $0 == 0 } })
        #expect(optimizer.stateBytes == 2 * 4 * model.parameterCount(trainableOnly: true))   // Adam: two buffers per trainable weight
    }

    @Test func targetsMatchByNameSuffix() {
        #expect(LoRAConfig.matches("roberta.encoder.layer.0.attention.self.query", ["query"]))
        #expect(LoRAConfig.matches("query", ["query"]))
        #expect(!LoRAConfig.matches("roberta.encoder.layer.0.attention.self.query_proj", ["query"]))
        #expect(!LoRAConfig.matches("roberta.encoder.layer.0.attention.self.myquery", ["query"]))
        #expect(LoRAConfig.matches("roberta.encoder.layer.0.attention.output.dense", ["output.dense"]))
        // "dense" matches the three encoder linears but not the classifier's, which is saved in full.
        let model = Self.classifier()
        getPeftModel(model, LoRAConfig(r: 1, loraAlpha: 1, targetModules: ["dense"], modulesToSave: ["classifier"]), generator: Generator(seed: 1))
        #expect(model.loraLayers().map(\.0) == (0..<2).flatMap { i in
            ["attention.output.dense", "intermediate.dense", "output.dense"].map { "roberta.encoder.layer.\(i).\($0)" }
        })
    }

    @Test func sequentialLayersAreAdaptedByPosition() {
        let mlp = MLP(sizes: [4, 8, 3], generator: Generator(seed: 2))
        let x = Tensor.randn([5, 4], generator: Generator(seed: 3))
        let before = mlp(x).scalars
        getPeftModel(mlp, LoRAConfig(r: 2, loraAlpha: 2, targetModules: ["0", "2"]), generator: Generator(seed: 4))
        #expect(mlp.namedParameters().map(\.0) == ["0.base_layer.weight", "0.base_layer.bias", "0.lora_A.weight", "0.lora_B.weight",
                                                    "2.base_layer.weight", "2.base_layer.bias", "2.lora_A.weight", "2.lora_B.weight"])
        #expect(mlp(x).scalars == before)
    }

    @Test func adapterFileHoldsOnlyTheAdapterAndLoadsIntoAFreshBase() throws {
        let config = LoRAConfig(r: 4, loraAlpha: 8, loraDropout: 0.1, targetModules: ["query", "value"], modulesToSave: ["classifier"])
        let model = getPeftModel(Self.classifier(), config, generator: Generator(seed: 3))
        Self.randomizeB(model)
        for p in model.classifier.parameters() { p.copyFrom(.randn(p.shape, generator: Generator(seed: 4))) }   // a trained head
        model.eval()
        let expected = Self.logits(model)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lora-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("adapter")
        try model.saveAdapter(to: url, config: config, taskType: "SEQ_CLS", baseModelNameOrPath: "base")

        // PEFT's layout: two files, keys behind base_model.model., the config as JSON.
        #expect(try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() == ["adapter_config.json", "adapter_model.safetensors"])
        let (tensors, _) = try Safetensors.load(from: url.appendingPathComponent("adapter_model.safetensors"))
        #expect(tensors.keys.allSatisfy { $0.hasPrefix("base_model.model.") })
        #expect(tensors["base_model.model.roberta.encoder.layer.0.attention.self.query.lora_A.weight"]?.shape == [4, 16])
        #expect(tensors["base_model.model.classifier.out_proj.weight"]?.shape == [2, 16])
        #expect(tensors.keys.allSatisfy { $0.contains(".lora_A.") || $0.contains(".lora_B.") || $0.hasPrefix("base_model.model.classifier.") })
        #expect(tensors.count == 2 * 2 * 2 + 4)
        #expect(tensors.values.reduce(0) { $0 + $1.count } == model.parameterCount(trainableOnly: true))
        let json = try ConfigJSON.read(url.appendingPathComponent("adapter_config.json"))
        #expect(json["peft_type"] as? String == "LORA" && json["task_type"] as? String == "SEQ_CLS")
        #expect((json["r"] as? NSNumber)?.intValue == 4 && (json["lora_alpha"] as? NSNumber)?.doubleValue == 8)
        #expect((json["lora_dropout"] as? NSNumber)?.doubleValue == 0.1)
        #expect(json["target_modules"] as? [String] == ["query", "value"] && json["modules_to_save"] as? [String] == ["classifier"])
        #expect(json["bias"] as? String == "none" && json["use_rslora"] as? Bool == false)
        #expect(try Module.adapterConfig(at: url) == config)

        let fresh = Self.classifier()                 // the same pretrained base, a random head
        let loaded = try fresh.loadAdapter(from: url, generator: Generator(seed: 99))
        #expect(loaded == config)
        fresh.eval()
        #expect(Self.logits(fresh).scalars == expected.scalars)

        // A different base size does not fit.
        let other = RobertaForSequenceClassification(config: RobertaConfig(vocabSize: 40, hiddenSize: 8, numHiddenLayers: 2, numAttentionHeads: 2,
                                                                           intermediateSize: 16, maxPositionEmbeddings: 12),
                                                     generator: Generator(seed: 1))
        #expect(throws: SafetensorsError.self) { try other.loadAdapter(from: url, generator: Generator(seed: 1)) }
    }

    /// The single-file layout MiniTorch wrote before PEFT's folder still loads.
    @Test func olderSingleFileAdaptersStillLoad() throws {
        let config = LoRAConfig(r: 2, loraAlpha: 4, targetModules: ["query"], modulesToSave: ["classifier"])
        let model = getPeftModel(Self.classifier(), config, generator: Generator(seed: 3))
        Self.randomizeB(model)
        model.eval()
        let expected = Self.logits(model).scalars
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lora-old-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Safetensors.save(model.adapterStateDict(config: config), to: url, metadata: [
            "format": "pt", "peft_type": "LORA", "r": "2", "lora_alpha": "4.0", "lora_dropout": "0.0",
            "target_modules": "query", "modules_to_save": "classifier"])
        let fresh = Self.classifier()
        #expect(try fresh.loadAdapter(from: url, generator: Generator(seed: 9)) == config)
        fresh.eval()
        #expect(Self.logits(fresh).scalars == expected)
    }

    /// Anything else is refused with one line: a missing folder, another PEFT method, a key
    /// without PEFT's prefix, a plain safetensors file.
    @Test func foreignAdaptersAreRefusedWithOneLine() throws {
        let config = LoRAConfig(r: 2, loraAlpha: 4, targetModules: ["query"])
        let model = getPeftModel(Self.classifier(), config, generator: Generator(seed: 3))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lora-foreign-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("adapter")
        try model.saveAdapter(to: good, config: config)
        func message(_ url: URL) -> String {
            do { _ = try Self.classifier().loadAdapter(from: url, generator: Generator(seed: 1)); return "loaded" }
            catch { return "\(error)" }
        }
        #expect(message(dir.appendingPathComponent("nothing")).hasSuffix("nothing: no adapter here (expected a folder with adapter_config.json and adapter_model.safetensors)"))

        let ia3 = dir.appendingPathComponent("ia3")
        try FileManager.default.copyItem(at: good, to: ia3)
        let configURL = ia3.appendingPathComponent("adapter_config.json")
        try String(contentsOf: configURL, encoding: .utf8).replacingOccurrences(of: "\"LORA\"", with: "\"IA3\"").write(to: configURL, atomically: true, encoding: .utf8)
        #expect(message(ia3).hasSuffix("adapter_config.json: peft_type \"IA3\" is not LORA, the only adapter MiniTorch has"))

        let unprefixed = dir.appendingPathComponent("unprefixed")
        try FileManager.default.copyItem(at: good, to: unprefixed)
        try Safetensors.save(model.adapterStateDict(config: config), to: unprefixed.appendingPathComponent("adapter_model.safetensors"))
        #expect(message(unprefixed).contains("adapter_model.safetensors: key roberta.encoder.layer.0.attention.self.query.lora_A.weight lacks PEFT's prefix base_model.model."))

        let plain = dir.appendingPathComponent("plain.safetensors")
        try Safetensors.save([("x", Tensor([1]))], to: plain)
        #expect(message(plain).hasPrefix("plain.safetensors: not a LoRA adapter"))
    }

    /// PEFT's `use_rslora`: scaling = lora_alpha / sqrt(r), on the config, the layers and in
    /// adapter_config.json.
    @Test func rsLoRAScalesByTheSquareRootOfTheRank() throws {
        #expect(LoRAConfig(r: 16, loraAlpha: 16, useRslora: true).scaling == 4)
        #expect(LoRAConfig(r: 16, loraAlpha: 16).scaling == 1)
        #expect(rsloraScaling(loraAlpha: 16, r: 1) == loraScaling(loraAlpha: 16, r: 1))
        let config = LoRAConfig(r: 4, loraAlpha: 8, useRslora: true)
        let model = getPeftModel(Self.classifier(), config, generator: Generator(seed: 3))
        #expect(model.loraLayers().allSatisfy { $0.1.scaling == 4 })
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rslora-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("adapter")
        try model.saveAdapter(to: url, config: config)
        #expect(try Module.adapterConfig(at: url) == config)
        #expect(try ConfigJSON.read(url.appendingPathComponent("adapter_config.json"))["use_rslora"] as? Bool == true)
        try model.saveAdapter(to: url, config: LoRAConfig(r: 4, loraAlpha: 8))
        #expect(try ConfigJSON.read(url.appendingPathComponent("adapter_config.json"))["use_rslora"] as? Bool == false)
    }

    @Test func printsTrainableParametersAsPEFT() {
        let model = Self.classifier()
        getPeftModel(model, LoRAConfig(r: 8, loraAlpha: 16, modulesToSave: ["classifier"]), generator: Generator(seed: 1))
        let (trainable, all) = model.trainableParameterCounts()
        #expect(trainable == 2 * 2 * 8 * 32 + (16 * 16 + 16) + (16 * 2 + 2))
        let share = 100 * Double(trainable) / Double(all)
        let text = model.trainableParametersSummary()
        #expect(text.hasPrefix("trainable params: 1,330 || all params: "))
        #expect(text.hasSuffix(String(format: "trainable%%: %.4f", share)))
    }

    @Test func targetsThatMatchNothingStopWithAMessage() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = getPeftModel(MLP(sizes: [2, 2], generator: Generator(seed: 1)), LoRAConfig(targetModules: ["q_proj"]), generator: Generator(seed: 1))
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text.hasPrefix("error: getPeftModel: targetModules [\"q_proj\"] matched no module of MLP"))
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = getPeftModel(Self.classifier(), LoRAConfig(targetModules: ["attention"]), generator: Generator(seed: 1))
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text.contains("target \"roberta.encoder.layer.0.attention\" is a RobertaAttention; LoRA adapts linear layers"))
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            LoRALinear(base: FixedScaleLayer(features: 3), r: 1, loraAlpha: 1, generator: Generator(seed: 1)).merge()
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text.contains("the base layer is a FixedScaleLayer, which has no full-precision weight to merge into"))
        }
    }
}
