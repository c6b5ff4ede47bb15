import Foundation
import Testing
@testable import MiniTorch

/// Packed rows (NN/PackedAttention.swift): several examples in one row, position ids restarting
/// at 0 and a block-diagonal causal mask, give each example the logits and gradients it gets alone.
@Suite("GPT-2 packed sequences")
struct GPT2PackingTests {
    static func config(_ implementation: GPT2Config.AttentionImplementation) -> GPT2Config {
        GPT2Config(vocabSize: 31, nPositions: 24, nEmbd: 16, nLayer: 2, nHead: 2, residPdrop: 0, embdPdrop: 0,
                   attnPdrop: 0, bosTokenId: 0, eosTokenId: 0, attnImplementation: implementation)
    }

    /// Three examples of 5, 7 and 4 tokens, then 2 of padding: one row of 18.
    static let lengths = [5, 7, 4]
    static let examples = lengths.enumerated().map { GPT2Tests.ids($1, vocab: 31, seed: 20 + $0) }
    static let exampleTargets = lengths.enumerated().map { GPT2Tests.ids($1, vocab: 31, seed: 40 + $0) }
    static let row = examples.joined() + [0, 0]                                                   // [18]
    static let positionIds = lengths.flatMap { Array(0..<$0) } + [0, 1]                           // restart per example
    static let sequenceIds = lengths.enumerated().flatMap { Array(repeating: $0, count: $1) } + [3, 3]
    static let targets = exampleTargets.joined() + [-100, -100]

    static func maxDiff(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max() ?? 0 }

    /// The largest difference between the two models' gradients, each parameter expected within `tolerance`.
    static func gradientDiff(_ a: GPT2LMHeadModel, _ b: GPT2LMHeadModel, within tolerance: Float) -> Float {
        var worst: Float = 0
        for ((name, x), (_, y)) in zip(a.namedParameters(), b.namedParameters()) {
            let d = maxDiff(x.grad!.scalars, y.grad!.scalars)
            #expect(d <= tolerance, "\(name): gradients differ by \(d)")
            worst = max(worst, d)
        }
        return worst
    }

    @Test func packedSoftmaxMatchesMaskedFillThenSoftmaxAndItsGradient() {
        let scores = Tensor.randn([2, 3, 7, 7], generator: Generator(seed: 1), requiresGrad: true)
        let ids = [0, 0, 0, 1, 1, 2, 2, 5, 5, 5, 5, 9, 9, 9]
        let fused = packedCausalAttentionSoftmax(scores, sequenceIds: ids, scale: 0.5)
        let mask = packedCausalMask(ids, batch: 2, length: 7)                                     // [2, 1, 7, 7]
        let reference = (scores * 0.5).maskedFill(mask: mask, value: -.infinity).softmax(axis: -1)
        #expect(Self.maxDiff(fused.scalars, reference.scalars) <= 1e-6)
        #expect(zip(fused.scalars, mask.expand([2, 3, 7, 7]).scalars).allSatisfy { $1 == 0 || $0 == 0 })   // hidden keys get exactly 0
        // Row 0, query 4 (second example, from position 3): keys 3 and 4 only.
        #expect(Array(mask.scalars[(4 * 7)..<(5 * 7)]) == [1, 1, 1, 0, 0, 1, 1])
        let r = gradCheck([scores], eps: 1e-2, atol: 1e-3, rtol: 1e-2) { packedCausalAttentionSoftmax($0[0], sequenceIds: ids, scale: 0.5) }
        #expect(r.passed, "\(r)")
    }

    @Test func oneSequenceARowIsThePlainCausalModelBitForBit() {
        for implementation in [GPT2Config.AttentionImplementation.eager, .fused] {
            let model = GPT2LMHeadModel(config: Self.config(implementation), generator: Generator(seed: 3))
            let ids = GPT2Tests.ids(2 * 10, vocab: 31)
            let plain = model(inputIds: ids, shape: [2, 10]).scalars
            let packed = model(inputIds: ids, shape: [2, 10], positionIds: Array(0..<10) + Array(0..<10),
                               sequenceIds: Array(repeating: 0, count: 10) + Array(repeating: 4, count: 10)).scalars
            #expect(plain == packed, "\(implementation)")
        }
    }

    @Test(arguments: [GPT2Config.AttentionImplementation.eager, .fused])
    func blockGradientsOnAPackedRow(_ implementation: GPT2Config.AttentionImplementation) {
        let g = Generator(seed: 4)
        let block = GPT2Block(config: Self.config(implementation), generator: g)
        let x = Tensor.randn([2, 5, 16], generator: g, requiresGrad: true)
        let ids = [0, 0, 1, 1, 1, 0, 1, 1, 2, 2]
        let c = block.attn.c_attn as! Conv1D
        let r = gradCheck([x, c.weight, c.bias], eps: 1e-2, atol: 2e-3, rtol: 2e-2) { block($0[0], sequenceIds: ids) }
        #expect(r.passed, "\(r)")
    }

    @Test func fusedPackedAttentionEqualsEagerOnLogitsAndEveryGradient() {
        let fused = GPT2LMHeadModel(config: Self.config(.fused), generator: Generator(seed: 6))
        let eager = GPT2LMHeadModel(config: Self.config(.eager), generator: Generator(seed: 6))
        let ids = Self.row + Self.row.reversed(), targets = Self.targets + Self.targets
        let positions = Self.positionIds + Self.positionIds, sequences = Self.sequenceIds + Self.sequenceIds.reversed()
        var logits: [[Float]] = []
        for model in [fused, eager] {
            let out = model(inputIds: ids, shape: [2, 18], positionIds: positions, sequenceIds: sequences)
            logits.append(out.scalars)
            crossEntropy(out.reshape([-1, 31]), targets).backward()
        }
        let logitDiff = Self.maxDiff(logits[0], logits[1])
        #expect(logitDiff <= 1e-6, "logits differ by \(logitDiff)")
        let gradDiff = Self.gradientDiff(fused, eager, within: 1e-6)
        print("packed fused vs eager: logits \(logitDiff), gradients \(gradDiff)")
    }

    /// The key property: A, B and C packed in one row get, at their positions, the logits they get
    /// alone, and the summed loss the same parameter gradients as the three losses summed alone.
    @Test(arguments: [GPT2Config.AttentionImplementation.eager, .fused])
    func aPackedRowGivesEachExampleItsLogitsAndGradientsAlone(_ implementation: GPT2Config.AttentionImplementation) {
        let packedModel = GPT2LMHeadModel(config: Self.config(implementation), generator: Generator(seed: 7))
        let aloneModel = GPT2LMHeadModel(config: Self.config(implementation), generator: Generator(seed: 7))
        let packed = packedModel(inputIds: Self.row, shape: [1, 18], positionIds: Self.positionIds, sequenceIds: Self.sequenceIds)   // [1, 18, V]
        crossEntropy(packed.reshape([-1, 31]), Self.targets, reduction: .sum).backward()
        var start = 0, logitDiff: Float = 0
        for (ids, targets) in zip(Self.examples, Self.exampleTargets) {
            let alone = aloneModel(inputIds: ids, shape: [1, ids.count])                     // [1, n, V]
            crossEntropy(alone.reshape([-1, 31]), targets, reduction: .sum).backward()      // grads add up over A, B, C
            let d = Self.maxDiff(alone.scalars, Array(packed.scalars[(start * 31)..<((start + ids.count) * 31)]))
            #expect(d <= 1e-5, "example at \(start): logits differ by \(d)")
            logitDiff = max(logitDiff, d)
            start += ids.count
        }
        let gradDiff = Self.gradientDiff(packedModel, aloneModel, within: 1e-5)
        print("packed vs alone (\(implementation)): logits \(logitDiff), gradients \(gradDiff)")
    }

    /// The test above can fail: with the plain causal mask (position ids still restarting), B and C
    /// see the examples before them and their logits move; A, first in the row, does not.
    @Test(arguments: [GPT2Config.AttentionImplementation.eager, .fused])
    func withoutTheMaskLaterExamplesSeeEarlierOnes(_ implementation: GPT2Config.AttentionImplementation) {
        let model = GPT2LMHeadModel(config: Self.config(implementation), generator: Generator(seed: 7))
        let unmasked = model(inputIds: Self.row, shape: [1, 18], positionIds: Self.positionIds).scalars   // causal only
        var start = 0, diffs: [Float] = []
        for ids in Self.examples {
            let alone = model(inputIds: ids, shape: [1, ids.count]).scalars
            diffs.append(Self.maxDiff(alone, Array(unmasked[(start * 31)..<((start + ids.count) * 31)])))
            start += ids.count
        }
        #expect(diffs[0] <= 1e-5 && diffs[1] > 1e-3 && diffs[2] > 1e-3, "\(diffs)")
        print("causal mask only (\(implementation)): A, B, C differ from alone by \(diffs)")
    }

    @Test func gradientCheckpointingGivesThePackedGradients() {
        var grads: [[Float]] = []
        for on in [false, true] {
            let model = GPT2LMHeadModel(config: Self.config(.fused).withDropout(0.1), generator: Generator(seed: 8))
            model.transformer.gradientCheckpointing = on
            model.train()
            let logits = model(inputIds: Self.row, shape: [1, 18], positionIds: Self.positionIds, sequenceIds: Self.sequenceIds)
            crossEntropy(logits.reshape([-1, 31]), Self.targets).backward()
            grads.append(model.parameters().flatMap { $0.grad!.scalars })
        }
        let d = Self.maxDiff(grads[0], grads[1])
        #expect(d <= 1e-6, "gradients differ by \(d)")
    }
}
