import Foundation
import Testing
@testable import MiniTorch

@Suite("GPT-2")
struct GPT2Tests {
    /// Small enough for finite differences and quick: width 16, 2 heads, 2 layers, no dropout.
    static func small(_ implementation: GPT2Config.AttentionImplementation = .fused, positions: Int = 12) -> GPT2Config {
        GPT2Config(vocabSize: 23, nPositions: positions, nEmbd: 16, nLayer: 2, nHead: 2, residPdrop: 0, embdPdrop: 0,
                   attnPdrop: 0, bosTokenId: 0, eosTokenId: 0, attnImplementation: implementation)
    }

    static func ids(_ count: Int, vocab: Int = 23, seed: Int = 5) -> [Int] {
        let g = Generator(seed: seed)
        return (0..<count).map { _ in g.int(below: vocab) }
    }

    @Test func causalSoftmaxMatchesMaskedFillThenSoftmaxAndItsGradient() {
        let g = Generator(seed: 1)
        let scores = Tensor.randn([2, 3, 5, 5], generator: g, requiresGrad: true)
        let fused = causalAttentionSoftmax(scores, scale: 0.5)
        let reference = (scores * 0.5).maskedFill(mask: causalMask(5), value: -.infinity).softmax(axis: -1)
        for (a, b) in zip(fused.scalars, reference.scalars) { #expect(abs(a - b) <= 1e-6) }
        for row in 0..<(2 * 3 * 5) {   // nothing above the diagonal
            let i = row % 5
            for j in (i + 1)..<5 { #expect(fused.scalars[row * 5 + j] == 0) }
        }
        let r = gradCheck([scores], eps: 1e-2, atol: 1e-3, rtol: 1e-2) { causalAttentionSoftmax($0[0], scale: 0.5) }
        #expect(r.passed, "\(r)")
    }

    @Test func causalSoftmaxWithFewerQueriesThanKeysIsTheBottomRowsOfTheFullOne() {
        let g = Generator(seed: 2)
        let scores = Tensor.randn([1, 2, 6, 6], generator: g, requiresGrad: true)
        let full = causalAttentionSoftmax(scores, scale: 0.7)
        let bottom = causalAttentionSoftmax(scores.narrow(axis: 2, start: 4, length: 2), scale: 0.7)   // queries 4 and 5
        #expect(bottom.scalars == full.narrow(axis: 2, start: 4, length: 2).scalars)
        let r = gradCheck([scores], eps: 1e-2, atol: 1e-3, rtol: 1e-2) { causalAttentionSoftmax($0[0].narrow(axis: 2, start: 3, length: 3), scale: 0.7) }
        #expect(r.passed, "\(r)")
    }

    @Test func conv1DIsLinearWithTheWeightTransposedAndItsGradient() {
        let g = Generator(seed: 3)
        let layer = Conv1D(nf: 5, nx: 4, generator: g)
        layer.bias.copyFrom(.randn([5], generator: g))
        let x = Tensor.randn([2, 3, 4], generator: g, requiresGrad: true)
        let reference = linear(x, weight: layer.weight.transposed(), bias: layer.bias)
        for (a, b) in zip(layer(x).scalars, reference.scalars) { #expect(abs(a - b) <= 1e-6) }
        #expect(layer.weight.shape == [4, 5])   // [in, out]
        let r = gradCheck([x, layer.weight, layer.bias]) { conv1D($0[0], weight: $0[1], bias: $0[2]) }
        #expect(r.passed, "\(r)")
    }

    @Test func fastGELUEqualsTheTanhFormulaAndItsGradient() {
        let x = Tensor((-400..<400).map { Float($0) / 40 } + [-60, 60], shape: [802], requiresGrad: true)
        let fast = x.geluTanh(), plain = x.gelu(approximate: .tanh)
        let diff = zip(fast.scalars, plain.scalars).map { abs($0 - $1) }.max()!
        #expect(diff <= 1e-6, "forward differs by \(diff)")
        let g = Tensor.randn([802], generator: Generator(seed: 1))
        fast.backward(gradient: g)
        let dFast = x.grad!.scalars
        x.zeroGrad()
        plain.backward(gradient: g)
        let dDiff = zip(dFast, x.grad!.scalars).map { abs($0 - $1) }.max()!
        #expect(dDiff <= 1e-5, "gradient differs by \(dDiff)")
        let small = Tensor.randn([2, 5], generator: Generator(seed: 2), requiresGrad: true)
        let r = gradCheck([small]) { $0[0].geluTanh() }
        #expect(r.passed, "\(r)")
    }

    @Test(arguments: [GPT2Config.AttentionImplementation.eager, .fused])
    func blockGradients(_ implementation: GPT2Config.AttentionImplementation) {
        let g = Generator(seed: 4)
        let block = GPT2Block(config: Self.small(implementation), generator: g)
        let x = Tensor.randn([2, 4, 16], generator: g, requiresGrad: true)
        let r = gradCheck([x, (block.attn.c_attn as! Conv1D).weight, (block.attn.c_attn as! Conv1D).bias, (block.mlp.c_fc as! Conv1D).weight], eps: 1e-2, atol: 2e-3, rtol: 2e-2) { block($0[0]) }
        #expect(r.passed, "\(r)")
    }

    @Test func fusedAttentionEqualsEagerOnLogitsAndEveryGradient() {
        let config = GPT2Config(vocabSize: 97, nPositions: 24, nEmbd: 32, nLayer: 2, nHead: 4, residPdrop: 0, embdPdrop: 0, attnPdrop: 0,
                                bosTokenId: 0, eosTokenId: 0)
        var eagerConfig = config
        eagerConfig.attnImplementation = .eager
        let fused = GPT2LMHeadModel(config: config, generator: Generator(seed: 6))
        let eager = GPT2LMHeadModel(config: eagerConfig, generator: Generator(seed: 6))
        let ids = Self.ids(3 * 20, vocab: 97)
        let targets = Self.ids(3 * 20, vocab: 97, seed: 8)
        var logits: [[Float]] = []
        for model in [fused, eager] {
            let out = model(inputIds: ids, shape: [3, 20])
            logits.append(out.scalars)
            crossEntropy(out.reshape([-1, 97]), targets).backward()
        }
        let logitDiff = zip(logits[0], logits[1]).map { abs($0 - $1) }.max()!
        #expect(logitDiff <= 1e-6, "logits differ by \(logitDiff)")
        var gradDiff: Float = 0
        for ((name, a), (_, b)) in zip(fused.namedParameters(), eager.namedParameters()) {
            let d = zip(a.grad!.scalars, b.grad!.scalars).map { abs($0 - $1) }.max()!
            #expect(d <= 1e-6, "\(name): gradients differ by \(d)")
            gradDiff = max(gradDiff, d)
        }
        #expect(gradDiff > 0 || logitDiff >= 0)
    }

    @Test func initialisationNamesAndTying() {
        let config = GPT2Config(vocabSize: 512, nPositions: 64, nEmbd: 128, nLayer: 4, nHead: 4, bosTokenId: 0, eosTokenId: 0)
        let model = GPT2LMHeadModel(config: config, generator: Generator(seed: 7))
        #expect((model.lm_head as! Linear).weight === model.transformer.wte.weight)
        let names = model.namedParameters().map(\.0)
        #expect(names.prefix(8) == ["transformer.wte.weight", "transformer.wpe.weight", "transformer.h.0.ln_1.weight", "transformer.h.0.ln_1.bias",
                                     "transformer.h.0.attn.c_attn.weight", "transformer.h.0.attn.c_attn.bias",
                                     "transformer.h.0.attn.c_proj.weight", "transformer.h.0.attn.c_proj.bias"])
        #expect(names.suffix(2) == ["transformer.ln_f.weight", "transformer.ln_f.bias"])
        #expect(!names.contains("lm_head.weight"))   // tied: listed once, under wte
        let shapes = Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.0, $0.1.shape) })
        #expect(shapes["transformer.h.0.attn.c_attn.weight"] == [128, 384])   // Conv1D: [in, out]
        #expect(shapes["transformer.h.0.mlp.c_fc.weight"] == [128, 512])
        #expect(shapes["transformer.h.0.mlp.c_proj.weight"] == [512, 128])
        func std(_ t: Tensor) -> Float {
            let v = t.scalars, m = v.reduce(0, +) / Float(v.count)
            return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Float(v.count)).squareRoot()
        }
        let params = Dictionary(uniqueKeysWithValues: model.namedParameters())
        #expect(abs(std(params["transformer.wte.weight"]!) - 0.02) < 0.001)
        #expect(abs(std(params["transformer.h.1.attn.c_attn.weight"]!) - 0.02) < 0.001)
        let scaled = 0.02 / Float(8).squareRoot()   // 1 / sqrt(2 x 4 layers)
        #expect(abs(std(params["transformer.h.1.attn.c_proj.weight"]!) - scaled) < 0.001)
        #expect(abs(std(params["transformer.h.3.mlp.c_proj.weight"]!) - scaled) < 0.001)
        #expect(params["transformer.h.0.attn.c_attn.bias"]!.scalars.allSatisfy { $0 == 0 })
        // 4 x 12 x 128^2 matrices + biases + LayerNorms + embeddings (wte counted once)
        #expect(model.parameterCount() == 512 * 128 + 64 * 128 + 4 * (12 * 128 * 128 + 13 * 128) + 2 * 128)
    }

    @Test func aLaterTokenNeverMovesAnEarlierLogit() {
        let model = GPT2LMHeadModel(config: Self.small(), generator: Generator(seed: 9))
        var ids = Self.ids(10)
        let before = model(inputIds: ids, shape: [1, 10]).scalars
        ids[6] = (ids[6] + 1) % 23
        let after = model(inputIds: ids, shape: [1, 10]).scalars
        #expect(before[..<(6 * 23)] == after[..<(6 * 23)])   // positions 0...5 bit for bit
        #expect(before[(6 * 23)...] != after[(6 * 23)...])
    }

    @Test func savesHuggingFaceLayoutAndLoadsBack() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gpt2-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = GPT2LMHeadModel(config: Self.small(), generator: Generator(seed: 10))
        try model.savePretrained(folder, generationConfig: GenerationConfig(maxNewTokens: 7, eosTokenId: 0, bosTokenId: 0))
        let (tensors, _) = try Safetensors.load(from: folder.appendingPathComponent("model.safetensors"))
        #expect(tensors["lm_head.weight"] == nil && tensors["transformer.wte.weight"]?.shape == [23, 16])
        #expect(tensors["transformer.h.1.attn.c_attn.weight"]?.shape == [16, 48])
        #expect(tensors.count == 2 + 2 * 12 + 2)
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("config.json"))) as! [String: Any]
        #expect(config["model_type"] as? String == "gpt2" && config["n_embd"] as? Int == 16 && config["n_head"] as? Int == 2)
        #expect(config["architectures"] as? [String] == ["GPT2LMHeadModel"] && config["activation_function"] as? String == "gelu_new")
        let loaded = try GPT2LMHeadModel.fromPretrained(folder)
        let ids = Self.ids(8)
        #expect(loaded(inputIds: ids, shape: [1, 8]).scalars == model(inputIds: ids, shape: [1, 8]).scalars)
        #expect((loaded.lm_head as! Linear).weight === loaded.transformer.wte.weight)
        #expect(try GPT2LMHeadModel.generationConfig(in: folder).maxNewTokens == 7)
        #expect(throws: SafetensorsError.self) { try GPT2LMHeadModel.fromPretrained(folder.appendingPathComponent("missing")) }
    }

    @Test func lossAtInitialisationIsAboutLnV() {
        let config = GPT2Config(vocabSize: 2048, nPositions: 64, nEmbd: 128, nLayer: 4, nHead: 4, bosTokenId: 0, eosTokenId: 0)
        let model = GPT2LMHeadModel(config: config, generator: Generator(seed: 11)).eval()
        let ids = Self.ids(4 * 64, vocab: 2048), targets = Self.ids(4 * 64, vocab: 2048, seed: 12)
        let loss = noGrad { crossEntropy(model(inputIds: ids, shape: [4, 64]).reshape([-1, 2048]), targets).item() }
        // Within 1% of ln V = 7.625 (measured 7.654): logits start near 0, so every token near 1/V.
        #expect(abs(loss / log(2048) - 1) < 0.01, "loss \(loss), ln V \(log(2048.0))")
    }
}
