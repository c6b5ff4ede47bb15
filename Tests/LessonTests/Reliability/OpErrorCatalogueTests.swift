import Foundation
import MiniTorch
import Testing

// The bad input catalogue, MiniTorch's part: a shape mismatch in each op family stops the
// program with one `error:` line naming the op and both shapes, and status 1; no trap, no stack
// trace. (Some of these are also checked next to their op in Tests/MiniTorchTests; here every
// family is in one table.)

/// One shape mismatch per op family, with the one line it must print.
enum ShapeMistake: String, CaseIterable, Codable, Sendable {
    case matmul, batchedMatmul, broadcastAdd, broadcastMul, maskedFill, concat, stack, reshape, permute
    case narrow, reduceAxis, tensorFromValues, linearInput, layerNormInput, embeddingId
    case crossEntropyTarget, crossEntropyRows, mseShapes, bceShapes

    var message: String {
        switch self {
        case .matmul: "matmul: [4, 3] x [5, 6]: inner dimensions 3 and 5 differ"
        case .batchedMatmul: "matmul: [2, 3, 4] x [3, 4, 5]: batch dimensions [2] and [3] differ"
        case .broadcastAdd: "add: shapes [2, 3] and [4] cannot be broadcast (dimension 1: 3 vs 4)"
        case .broadcastMul: "mul: shapes [2, 3] and [2, 1, 4] cannot be broadcast (dimension 2: 3 vs 4)"
        case .maskedFill: "maskedFill: shapes [2, 3] and [3, 2] cannot be broadcast (dimension 0: 2 vs 3)"
        case .concat: "concat: shapes [2, 3] and [2, 4] differ outside axis 0"
        case .stack: "stack: shapes [2, 3] and [3, 2] differ; stacked tensors must have equal shapes"
        case .reshape: "reshape: shape [2, 3] (6 elements) cannot become [4, 2]"
        case .permute: "permute: [0, 0] is not a permutation of the 2 axes of [2, 3]"
        case .narrow: "narrow: start 2, length 2 is out of range for axis 1 of size 3 in [2, 3]"
        case .reduceAxis: "sum: axis 2 is out of range for shape [2, 3]"
        case .tensorFromValues: "Tensor: 3 values cannot fill shape [2, 2] (4 elements)"
        case .linearInput:
            "linear: input [3, 5] x weight [2, 4]: the input's last dimension must equal the weight's in-features (weight is [out, in])"
        case .layerNormInput: "LayerNorm: input [2, 3] must end in the normalized size 4"
        case .embeddingId: "Embedding: id 4 at position 1 is out of range for 4 embeddings (valid ids are 0..<4)"
        case .crossEntropyTarget:
            "crossEntropy: target 3 at position 1 is out of range for 3 classes (use 0..<3, or ignoreIndex -100 to skip)"
        case .crossEntropyRows: "crossEntropy: logits [2, 3] have 2 rows of 3 classes but there are 1 targets"
        case .mseShapes: "mseLoss: input [2, 3] and target [3, 2] must have the same shape"
        case .bceShapes: "binaryCrossEntropyWithLogits: logits [2, 3] and targets [2, 2] must have the same shape"
        }
    }

    /// Makes the mistake (and never returns).
    func make() {
        let g = Generator(seed: 1)
        switch self {
        case .matmul: _ = Tensor.zeros([4, 3]).matmul(Tensor.zeros([5, 6]))
        case .batchedMatmul: _ = Tensor.zeros([2, 3, 4]).matmul(Tensor.zeros([3, 4, 5]))
        case .broadcastAdd: _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
        case .broadcastMul: _ = Tensor.zeros([2, 3]) * Tensor.zeros([2, 1, 4])
        case .maskedFill: _ = Tensor.zeros([2, 3]).maskedFill(mask: Tensor.zeros([3, 2]), value: 0)
        case .concat: _ = Tensor.concat([Tensor.zeros([2, 3]), Tensor.zeros([2, 4])], axis: 0)
        case .stack: _ = Tensor.stack([Tensor.zeros([2, 3]), Tensor.zeros([3, 2])], axis: 0)
        case .reshape: _ = Tensor.zeros([2, 3]).reshape([4, 2])
        case .permute: _ = Tensor.zeros([2, 3]).permute([0, 0])
        case .narrow: _ = Tensor.zeros([2, 3]).narrow(axis: 1, start: 2, length: 2)
        case .reduceAxis: _ = Tensor.zeros([2, 3]).sum(axis: 2)
        case .tensorFromValues: _ = Tensor([1, 2, 3], shape: [2, 2])
        case .linearInput: _ = Linear(inFeatures: 4, outFeatures: 2, generator: g)(Tensor.zeros([3, 5]))
        case .layerNormInput: _ = LayerNorm(4)(Tensor.zeros([2, 3]))
        case .embeddingId: _ = Embedding(numEmbeddings: 4, embeddingDim: 2, generator: g)([1, 4])
        case .crossEntropyTarget: _ = CrossEntropyLoss()(Tensor.zeros([2, 3]), [0, 3])
        case .crossEntropyRows: _ = CrossEntropyLoss()(Tensor.zeros([2, 3]), [0])
        case .mseShapes: _ = MSELoss()(Tensor.zeros([2, 3]), Tensor.zeros([3, 2]))
        case .bceShapes: _ = BCEWithLogitsLoss()(Tensor.zeros([2, 3]), Tensor.zeros([2, 2]))
        }
    }
}

@Suite struct OpErrorCatalogueTests {
    @Test(arguments: ShapeMistake.allCases)
    func shapeMistakeStopsWithOneLine(_ mistake: ShapeMistake) async throws {
        let result = try await #require(
            processExitsWith: .exitCode(1), observing: [\.standardErrorContent]
        ) { [mistake] in
            mistake.make()
        }
        let error = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(error == "error: \(mistake.message)\n")
    }
}
