import Testing
@testable import MiniTorch

/// A small model shaped like an encoder: an embedding, a list of blocks, an optional head.
private final class Block: Module {
    var attention: Linear
    var norm: LayerNorm
    init(_ g: Generator) {
        attention = Linear(inFeatures: 4, outFeatures: 4, generator: g)
        norm = LayerNorm(4)
        super.init()
    }
}

private final class Encoder: Module {
    var layers: [Module]
    init(_ g: Generator) { layers = [Block(g), Block(g)]; super.init() }
}

private final class TinyModel: Module {
    let hiddenSize = 4                       // not a tensor: ignored
    var embeddings: Embedding
    var encoder: Encoder
    var head: Linear?
    init(seed: Int, head: Bool = true) {
        let g = Generator(seed: seed)
        embeddings = Embedding(numEmbeddings: 10, embeddingDim: 4, generator: g)
        encoder = Encoder(g)
        self.head = head ? Linear(inFeatures: 4, outFeatures: 3, bias: false, generator: g) : nil
        super.init()
    }
}

@Suite("Module")
struct ModuleTests {
    @Test func namedParametersHaveDottedPathsInDeclarationOrder() {
        let model = TinyModel(seed: 1)
        let names = model.namedParameters().map(\.0)
        #expect(names == [
            "embeddings.weight",
            "encoder.layers.0.attention.weight", "encoder.layers.0.attention.bias",
            "encoder.layers.0.norm.weight", "encoder.layers.0.norm.bias",
            "encoder.layers.1.attention.weight", "encoder.layers.1.attention.bias",
            "encoder.layers.1.norm.weight", "encoder.layers.1.norm.bias",
            "head.weight",
        ])
        // 10*4 + 2*(16 + 4 + 4 + 4) + 12
        #expect(model.parameterCount() == 40 + 2 * 28 + 12)
        #expect(TinyModel(seed: 1, head: false).namedParameters().count == 9)
        #expect(model.namedModules().map(\.0) == ["", "embeddings", "encoder", "encoder.layers.0", "encoder.layers.0.attention",
                                                  "encoder.layers.0.norm", "encoder.layers.1", "encoder.layers.1.attention",
                                                  "encoder.layers.1.norm", "head"])
    }

    @Test func sequentialNamesChildrenByPosition() {
        let mlp = MLP(sizes: [2, 8, 3], activation: .tanh, dropout: 0.1, generator: Generator(seed: 1))
        #expect(mlp.namedParameters().map(\.0) == ["0.weight", "0.bias", "3.weight", "3.bias"])
        #expect(mlp.layers.map { "\(type(of: $0))" } == ["Linear", "Tanh", "Dropout", "Linear"])
        #expect(mlp(Tensor.zeros([5, 2])).shape == [5, 3])
    }

    @Test func replacingAVarChildIsSeen() {
        let model = TinyModel(seed: 1)
        model.head = Linear(inFeatures: 4, outFeatures: 7, generator: Generator(seed: 2))
        #expect(model.namedParameters().suffix(2).map(\.0) == ["head.weight", "head.bias"])
        #expect(model.namedParameters().last?.1.shape == [7])
    }

    @Test func tiedWeightsAreOneParameterButTwoStateDictEntries() {
        let model = TinyModel(seed: 1)
        let tied = Linear(inFeatures: 4, outFeatures: 10, bias: false, generator: Generator(seed: 3))
        tied.weight = model.embeddings.weight
        model.head = tied
        #expect(model.namedParameters().map(\.0).contains("head.weight") == false)
        #expect(model.stateDict().map(\.0).contains("head.weight"))
    }

    @Test func trainEvalFreezeAndZeroGrad() {
        let model = TinyModel(seed: 1)
        model.eval()
        #expect(model.namedModules().allSatisfy { !$0.1.training })
        model.train()
        #expect(model.namedModules().allSatisfy { $0.1.training })

        let total = model.parameterCount()
        model.encoder.freeze()
        #expect(model.parameterCount(trainableOnly: true) == total - 2 * 28)
        model.freeze()
        #expect(model.parameterCount(trainableOnly: true) == 0)
        model.unfreeze()
        #expect(model.parameterCount(trainableOnly: true) == total)

        let x = model.embeddings([1, 2, 3])
        model.head!(model.encoder.layers.map { $0 as! Block }[0].attention(x)).sum().backward()
        #expect(model.head!.weight.grad != nil && model.embeddings.weight.grad != nil)
        model.zeroGrad()
        #expect(model.parameters().allSatisfy { $0.grad == nil })
    }

    @Test func stateDictRoundTripCopiesValues() {
        let a = TinyModel(seed: 1), b = TinyModel(seed: 2)
        let x = Tensor.randn([2, 4], generator: Generator(seed: 9))
        #expect(a.head!(x).scalars != b.head!(x).scalars)
        b.loadStateDict(a.stateDict())
        #expect(a.head!(x).scalars == b.head!(x).scalars)
        for ((na, pa), (nb, pb)) in zip(a.stateDict(), b.stateDict()) {
            #expect(na == nb && pa.scalars == pb.scalars && pa !== pb)
        }
    }

    @Test func loadStateDictNamesMissingKeys() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let a = TinyModel(seed: 1, head: false), b = TinyModel(seed: 2)
            b.loadStateDict(a.stateDict())
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text.contains("loadStateDict") && text.contains("missing keys [\"head.weight\"]"))
        }
    }

    @Test func loadStateDictNamesShapeMismatch() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let b = TinyModel(seed: 2)
            var state = b.stateDict()
            state[0] = ("embeddings.weight", Tensor.zeros([3, 4]))
            b.loadStateDict(state)
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text == "error: loadStateDict: embeddings.weight: checkpoint has shape [3, 4], model has [10, 4]\n")
        }
    }
}
