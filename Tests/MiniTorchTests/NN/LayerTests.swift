import Testing
@testable import MiniTorch

@Suite("Layers")
struct LayerTests {
    @Test func linearInitStaysInPyTorchBounds() {
        // kaiming_uniform_(a=sqrt(5)) on [out, in]: gain sqrt(2/(1+5)), bound sqrt(3)*gain/sqrt(in) = 1/sqrt(in).
        let layer = Linear(inFeatures: 16, outFeatures: 500, generator: Generator(seed: 1))
        let w = layer.weight.scalars, b = layer.bias!.scalars
        #expect(layer.weight.shape == [500, 16] && layer.bias!.shape == [500])
        #expect(w.allSatisfy { abs($0) <= 0.25 } && b.allSatisfy { abs($0) <= 0.25 })
        #expect(w.max()! > 0.24 && w.min()! < -0.24)   // the whole range is used
        #expect(layer.weight.requiresGrad && layer.bias!.requiresGrad)
    }

    @Test func linearMatchesMatmulWithTransposedWeight() {
        let g = Generator(seed: 2)
        let layer = Linear(inFeatures: 5, outFeatures: 3, generator: g)
        let x = Tensor.randn([2, 4, 5], generator: g)
        let y = layer(x)
        let reference = x.matmul(layer.weight.transposed()) + layer.bias!
        #expect(y.shape == [2, 4, 3])
        #expect(zip(y.scalars, reference.scalars).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test(arguments: [true, false])
    func linearGradients(bias: Bool) {
        let g = Generator(seed: 3)
        let layer = Linear(inFeatures: 4, outFeatures: 3, bias: bias, generator: g)
        for shape in [[4], [5, 4], [2, 3, 4]] {
            let x = Tensor.randn(shape, generator: g, requiresGrad: true)
            let inputs = [x, layer.weight] + (layer.bias.map { [$0] } ?? [])
            let r = gradCheck(inputs) { t in linear(t[0], weight: t[1], bias: bias ? t[2] : nil) }
            #expect(r.passed, "\(shape) bias \(bias): \(r)")
        }
    }

    @Test func embeddingLooksUpRowsAndScattersGradients() {
        let emb = Embedding(numEmbeddings: 6, embeddingDim: 3, generator: Generator(seed: 4), paddingIdx: 0)
        #expect(emb.weight.scalars.prefix(3).allSatisfy { $0 == 0 })   // padding row starts at zero
        let ids = [2, 5, 2, 0, 1, 2]
        let out = emb(ids, shape: [2, 3])
        #expect(out.shape == [2, 3, 3])
        #expect(out[1, 2, 1] == emb.weight[2, 1])
        out.sum().backward()
        // Row 2 was read three times, the padding row gets nothing, row 3 was never read.
        let grad = emb.weight.grad!
        #expect(grad[2, 0] == 3 && grad[5, 0] == 1 && grad[0, 0] == 0 && grad[3, 0] == 0)
        emb.zeroGrad()
        let plain = Embedding(numEmbeddings: 6, embeddingDim: 3, generator: Generator(seed: 5))
        let r = gradCheck([plain.weight]) { _ in plain(ids, shape: [3, 2]) }
        #expect(r.passed, "\(r)")
    }

    @Test func embeddingIdOutOfRangeSaysWhich() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Embedding(numEmbeddings: 4, embeddingDim: 2, generator: Generator(seed: 1))([1, 4])
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text == "error: Embedding: id 4 at position 1 is out of range for 4 embeddings (valid ids are 0..<4)\n")
        }
    }

    @Test func layerNormNormalizesTheLastAxis() {
        let ln = LayerNorm(4)
        let y = ln(Tensor(rows: [[1, 2, 3, 4], [10, 10, 10, 14]]))
        // Row 1: mean 2.5, biased variance 1.25 -> (x - 2.5) / sqrt(1.25 + 1e-5).
        let s = (1.25 + 1e-5).squareRoot()
        #expect(nnClose(Array(y.scalars.prefix(4)), [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s]))
        // Row 2: mean 11, variance 3 -> [-1, -1, -1, 3] / sqrt(3 + 1e-5).
        let s2 = (3 + 1e-5).squareRoot()
        #expect(nnClose(Array(y.scalars.suffix(4)), [-1 / s2, -1 / s2, -1 / s2, 3 / s2]))
    }

    @Test func layerNormGradients() {
        let g = Generator(seed: 6)
        let ln = LayerNorm(5)
        ln.weight = Tensor.uniform([5], low: 0.5, high: 1.5, generator: g, requiresGrad: true)
        ln.bias = Tensor.randn([5], generator: g, requiresGrad: true)
        let x = Tensor.randn([2, 3, 5], generator: g, requiresGrad: true)
        let r = gradCheck([x, ln.weight!, ln.bias!]) { t in ln(t[0]) }
        #expect(r.passed, "\(r)")
        let plain = LayerNorm(5, elementwiseAffine: false)
        #expect(plain.parameters().isEmpty)
        #expect(gradCheck([x]) { t in plain(t[0]) }.passed)
    }

    @Test func dropoutScalesSurvivorsAndItsGradientIsTheMask() {
        let p: Float = 0.25
        let x = Tensor.uniform([400], low: 1, high: 2, generator: Generator(seed: 7), requiresGrad: true)
        let y = Dropout(p: p, generator: Generator(seed: 8))(x)
        y.sum().backward()
        // The same generator draws the same mask: keep where uniform() < 1 - p.
        let draws = Generator(seed: 8)
        let mask = (0..<400).map { _ in draws.uniform() < 1 - p ? 1 / (1 - p) : Float(0) }
        #expect(x.grad!.scalars == mask)
        #expect(zip(y.scalars, zip(x.scalars, mask)).allSatisfy { $0 == $1.0 * $1.1 })
        let dropped = mask.filter { $0 == 0 }.count
        #expect(dropped > 70 && dropped < 130)   // ~100 of 400 (binomial sd ~8.7)

        let r = gradCheck([Tensor.randn([3, 4], generator: Generator(seed: 9), requiresGrad: true)]) { t in
            Dropout(p: 0.5, generator: Generator(seed: 10))(t[0])   // fresh generator: the same mask each call
        }
        #expect(r.passed, "\(r)")
    }

    @Test func dropoutIsIdentityInEvalAndAtZero() {
        let x = Tensor.randn([10], generator: Generator(seed: 1))
        let d = Dropout(p: 0.9, generator: Generator(seed: 2))
        d.eval()
        #expect(d(x) === x)
        #expect(Dropout(p: 0, generator: Generator(seed: 2))(x) === x)
        #expect(Dropout(p: 1, generator: Generator(seed: 2))(x).scalars.allSatisfy { $0 == 0 })
    }

    @Test func activationModulesCallTheOps() {
        let x = Tensor([-1, 0.5, 2])
        #expect(ReLU()(x).scalars == [0, 0.5, 2])
        #expect(Tanh()(x).scalars == x.tanh().scalars)
        #expect(GELU()(x).scalars == x.gelu().scalars)
        #expect(GELU(approximate: .tanh)(x).scalars == x.gelu(approximate: .tanh).scalars)
    }
}
