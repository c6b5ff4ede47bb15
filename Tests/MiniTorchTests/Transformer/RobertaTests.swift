import Foundation
import Testing
@testable import MiniTorch

@Suite("RoBERTa")
struct RobertaTests {
    /// Small enough for finite differences: hidden 8, 2 heads, no dropout.
    static func small(vocab: Int = 12, layers: Int = 1) -> RobertaConfig {
        RobertaConfig(vocabSize: vocab, hiddenSize: 8, numHiddenLayers: layers, numAttentionHeads: 2, intermediateSize: 16,
                      hiddenDropoutProb: 0, attentionProbsDropoutProb: 0, maxPositionEmbeddings: 10)
    }

    /// Batch of 2 x 5: the second row has two padding positions.
    static let mask = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0]

    @Test func attentionSoftmaxMatchesMaskedFillThenSoftmaxAndItsGradient() {
        let g = Generator(seed: 1)
        let scores = Tensor.randn([2, 2, 5, 5], generator: g, requiresGrad: true)
        let fused = attentionSoftmax(scores, keyMask: Self.mask, scale: 0.5)
        let padding = Tensor(Self.mask.map { $0 == 0 ? 1 : 0 }, shape: [2, 1, 1, 5])   // broadcast over heads and queries
        let reference = (scores * 0.5).maskedFill(mask: padding, value: -1e9).softmax(axis: -1)
        for (a, b) in zip(fused.scalars, reference.scalars) { #expect(abs(a - b) <= 1e-6) }
        for row in 0..<10 { #expect(fused.scalars[(10 + row) * 5 + 3] == 0 && fused.scalars[(10 + row) * 5 + 4] == 0) }
        let r = gradCheck([scores], eps: 1e-2, atol: 1e-3, rtol: 1e-2) { attentionSoftmax($0[0], keyMask: Self.mask, scale: 0.5) }
        #expect(r.passed, "\(r)")
    }

    /// The plain attention (split heads, Q K^T / sqrt(hs), mask, softmax, times V, merge heads)
    /// and the fused kernels give the same logits, and the same gradients of the training loss
    /// (cross-entropy at every real token), within 1e-6: the whole MLM model, dropout on (both
    /// paths draw the same masks), one row with padding and one sequence that is all padding
    /// (uniform attention on both paths).
    @Test func plainAndFusedAttentionGiveTheSameLogitsAndGradients() {
        let ids = [0, 5, 6, 7, 2, 0, 8, 9, 1, 1, 1, 1, 1, 1, 1]
        let mask = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
        let labels = zip(ids, mask).map { $1 == 1 ? $0 : -100 }
        func run(fused: Bool) -> (logits: [Float], gradients: [(String, [Float])]) {
            var config = RobertaConfig(vocabSize: 40, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 4,
                                       intermediateSize: 32, maxPositionEmbeddings: 12)
            config.fusedAttention = fused
            let model = RobertaForMaskedLM(config: config, generator: Generator(seed: 4))
            let logits = model(inputIds: ids, attentionMask: mask, shape: [3, 5])   // [3, 5, 40]
            crossEntropy(logits, labels).backward()
            return (logits.scalars, model.namedParameters().map { ($0.0, $0.1.grad?.scalars ?? []) })
        }
        let (plain, fused) = (run(fused: false), run(fused: true))
        func maxDiff(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max() ?? 0 }
        #expect(plain.logits.count == fused.logits.count && maxDiff(plain.logits, fused.logits) <= 1e-6,
                "logits differ by \(maxDiff(plain.logits, fused.logits))")
        #expect(plain.gradients.map(\.0) == fused.gradients.map(\.0))
        for ((name, a), (_, b)) in zip(plain.gradients, fused.gradients) {
            #expect(!a.isEmpty && a.count == b.count && maxDiff(a, b) <= 1e-6, "\(name): gradients differ by \(maxDiff(a, b))")
        }
        // Not a vacuous comparison: the loss reaches every parameter.
        #expect(plain.gradients.allSatisfy { $0.1.contains { $0 != 0 } })
    }

    @Test func selfAttentionWithPaddingMaskGradients() {
        let g = Generator(seed: 2)
        let attention = RobertaSelfAttention(config: Self.small(), generator: g)
        let x = Tensor.randn([2, 5, 8], generator: g, requiresGrad: true)
        let r = gradCheck([x, (attention.query as! Linear).weight, (attention.key as! Linear).weight, (attention.value as! Linear).weight, (attention.value as! Linear).bias!]) { xs in
            attention(xs[0], attentionMask: Self.mask)
        }
        #expect(r.passed, "\(r)")
    }

    @Test func encoderLayerGradients() {
        let g = Generator(seed: 3)
        let layer = RobertaLayer(config: Self.small(), generator: g)
        let x = Tensor.randn([2, 5, 8], generator: g, requiresGrad: true)
        let params = [x, (layer.attention.`self`.query as! Linear).weight, (layer.attention.output.dense as! Linear).weight, layer.attention.output.LayerNorm.weight!,
                      (layer.intermediate.dense as! Linear).weight, (layer.output.dense as! Linear).bias!, layer.output.LayerNorm.bias!]
        let r = gradCheck(params) { xs in layer(xs[0], attentionMask: Self.mask) }
        #expect(r.passed, "\(r)")
    }

    @Test func tiedHeadGradientIsTheSumOfBothUses() {
        let g = Generator(seed: 4)
        let model = RobertaForMaskedLM(config: Self.small(), generator: g)
        let embedding = model.roberta.embeddings.word_embeddings.weight
        #expect(model.lm_head.decoder.weight === embedding)
        // Ordinary ids only: the <pad> row of an embedding gets no gradient from the lookup, as in PyTorch.
        let ids = [0, 5, 6, 7, 2, 0, 8, 9, 10, 2]
        let labels = [-100, 5, -100, 11, -100, -100, -100, 9, 6, -100]
        let loss = { (m: RobertaForMaskedLM) in crossEntropy(m(inputIds: ids, shape: [2, 5]), labels) }
        let r = gradCheck([embedding]) { _ in loss(model) }
        #expect(r.passed, "\(r)")

        // Untie: the tied gradient equals the lookup's gradient plus the decoder's.
        model.zeroGrad()
        loss(model).backward()
        let tied = embedding.grad!.scalars
        let separate = embedding.clone(); separate.requiresGrad = true
        model.lm_head.decoder.weight = separate
        model.zeroGrad()
        loss(model).backward()
        let sum = zip(embedding.grad!.scalars, separate.grad!.scalars).map { $0 + $1 }
        for (a, b) in zip(tied, sum) { #expect(abs(a - b) <= 1e-6 * max(1, abs(a))) }
        #expect(separate.grad!.scalars.contains { $0 != 0 } && embedding.grad!.scalars.contains { $0 != 0 })
    }

    @Test func paddingDoesNotChangeRealPositions() {
        let model = RobertaForMaskedLM(config: Self.small(vocab: 20, layers: 2), generator: Generator(seed: 5))
        model.eval()
        let ids = [0, 5, 6, 7, 2, 0, 8, 2, 1, 1]
        let out = model(inputIds: ids, attentionMask: Self.mask, shape: [2, 5])
        // Other ids at the padded positions (still masked out): identical outputs at real positions.
        var changed = ids; changed[8] = 13; changed[9] = 17
        let other = model(inputIds: changed, attentionMask: Self.mask, shape: [2, 5])
        let v = 20, realRows = [0, 1, 2, 3, 4, 5, 6, 7]
        for row in realRows { for j in 0..<v { #expect(out[row / 5, row % 5, j] == other[row / 5, row % 5, j]) } }
        // And the padded row equals the same sentence run alone without padding.
        let alone = model(inputIds: [0, 8, 2], shape: [1, 3])
        for p in 0..<3 { for j in 0..<v { #expect(abs(alone[0, p, j] - out[1, p, j]) <= 1e-5) } }
    }

    @Test func lossAtInitialisationIsLnVocab() {
        let vocab = 200
        let model = RobertaForMaskedLM(config: .tiny(vocabSize: vocab), generator: Generator(seed: 6))
        let g = Generator(seed: 7)
        let (b, t) = (16, 32)
        let ids = (0..<(b * t)).map { _ in 5 + g.int(below: vocab - 5) }
        let labels = ids.map { g.uniform() < 0.15 ? $0 : -100 }
        let loss = noGrad { crossEntropy(model(inputIds: ids, shape: [b, t]), labels).item() }
        let expected = Float(Foundation.log(Double(vocab)))
        #expect(abs(loss - expected) <= 0.05 * expected, "loss \(loss), ln(vocab) \(expected)")
    }

    static let hfNames: [String] = {
        var names = ["roberta.embeddings.word_embeddings.weight", "roberta.embeddings.position_embeddings.weight",
                     "roberta.embeddings.token_type_embeddings.weight", "roberta.embeddings.LayerNorm.weight", "roberta.embeddings.LayerNorm.bias"]
        for i in 0..<2 {
            let p = "roberta.encoder.layer.\(i)."
            for m in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense", "attention.output.LayerNorm",
                      "intermediate.dense", "output.dense", "output.LayerNorm"] {
                names += [p + m + ".weight", p + m + ".bias"]
            }
        }
        return names + ["lm_head.bias", "lm_head.dense.weight", "lm_head.dense.bias", "lm_head.layer_norm.weight", "lm_head.layer_norm.bias"]
    }()

    @Test func parameterNamesAreHuggingFaces() {
        let model = RobertaForMaskedLM(config: .tiny(vocabSize: 100), generator: Generator(seed: 8))
        #expect(model.namedParameters().map(\.0) == Self.hfNames)
        // The tied decoder appears in the state dict under its own names too, as in PyTorch.
        let all = Set(model.stateDict().map(\.0))
        #expect(all.contains("lm_head.decoder.weight") && all.contains("lm_head.decoder.bias"))
        let classifier = RobertaForSequenceClassification(config: .tiny(vocabSize: 100), generator: Generator(seed: 8))
        #expect(Array(classifier.namedParameters().map(\.0).suffix(4)) == ["classifier.dense.weight", "classifier.dense.bias", "classifier.out_proj.weight", "classifier.out_proj.bias"])
    }

    @Test func initialisationFollowsHuggingFace() {
        let model = RobertaForMaskedLM(config: .tiny(vocabSize: 300), generator: Generator(seed: 9))
        let w = (model.roberta.encoder.layer[0].intermediate.dense as! Linear).weight.scalars
        let mean = w.reduce(0, +) / Float(w.count)
        let std = (w.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(w.count)).squareRoot()
        #expect(abs(std - 0.02) < 0.001 && abs(mean) < 0.001)
        #expect((model.roberta.encoder.layer[0].intermediate.dense as! Linear).bias!.scalars.allSatisfy { $0 == 0 })
        #expect(model.roberta.embeddings.word_embeddings.weight.scalars[64..<128].allSatisfy { $0 == 0 })   // <pad> row
        #expect(model.lm_head.layer_norm.weight!.scalars.allSatisfy { $0 == 1 })
        #expect(model.roberta.embeddings.word_embeddings.weight.count == 300 * 64)
    }

    @Test func positionsStartAfterThePaddingId() {
        #expect(RobertaEmbeddings.positionIds([0, 5, 2, 1, 0, 2, 1, 1], shape: [2, 4], padTokenId: 1) == [2, 3, 4, 1, 2, 3, 1, 1])
    }

    @Test func saveAndLoadRoundTripWithHuggingFaceNames() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("roberta-\(ProcessInfo.processInfo.processIdentifier)-mlm.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let config = RobertaConfig.tiny(vocabSize: 50)
        let a = RobertaForMaskedLM(config: config, generator: Generator(seed: 10)).eval()
        try a.save(to: url, metadata: ["format": "pt"])
        let (tensors, metadata) = try Safetensors.load(from: url)
        #expect(metadata == ["format": "pt"])
        #expect(tensors.keys.sorted() == Self.hfNames.sorted())
        let b = RobertaForMaskedLM(config: config, generator: Generator(seed: 11)).eval()
        let ids = [0, 7, 8, 9, 2, 0, 10, 2, 1, 1]
        #expect(noGrad { a(inputIds: ids, attentionMask: Self.mask, shape: [2, 5]).scalars != b(inputIds: ids, attentionMask: Self.mask, shape: [2, 5]).scalars })
        try b.load(from: url)
        #expect(noGrad { a(inputIds: ids, attentionMask: Self.mask, shape: [2, 5]).scalars == b(inputIds: ids, attentionMask: Self.mask, shape: [2, 5]).scalars })
        #expect(b.lm_head.decoder.weight === b.roberta.embeddings.word_embeddings.weight)   // still tied after loading
        // The encoder of the MLM checkpoint is what a classifier starts from (lesson 07): a model
        // with other heads reports exactly what does not match.
        let classifier = RobertaForSequenceClassification(config: config, generator: Generator(seed: 12))
        #expect(throws: SafetensorsError.self) { try classifier.load(from: url) }
    }

    @Test func sequenceClassificationGivesOneRowOfLogitsPerSentence() {
        let model = RobertaForSequenceClassification(config: Self.small(), generator: Generator(seed: 13))
        let logits = model(inputIds: [0, 5, 6, 7, 2, 0, 8, 2, 1, 1], attentionMask: Self.mask, shape: [2, 5])
        #expect(logits.shape == [2, 2])
        let r = gradCheck([model.classifier.dense.weight, (model.roberta.encoder.layer[0].attention.`self`.key as! Linear).weight]) { _ in
            model(inputIds: [0, 5, 6, 7, 2, 0, 8, 2, 1, 1], attentionMask: Self.mask, shape: [2, 5])
        }
        #expect(r.passed, "\(r)")
    }

    @Test func tooLongSequenceNamesTheLimit() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = RobertaModel(config: RobertaTests.small(), generator: Generator(seed: 1))
            _ = model(inputIds: [Int](repeating: 5, count: 9), shape: [1, 9])
        }.map { result in
            #expect(String(decoding: result.standardErrorContent, as: UTF8.self)
                == "error: RobertaEmbeddings: sequences of 9 tokens are longer than the 8 that maxPositionEmbeddings 10 allows (positions start at padTokenId + 1)\n")
        }
    }
}
