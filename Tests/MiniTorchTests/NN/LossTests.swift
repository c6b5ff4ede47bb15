import Foundation
import Testing
@testable import MiniTorch

@Suite("Losses")
struct LossTests {
    // Rows [2, 1, 0] and [0, 1, 2]: log-sum-exp = log(e^2 + e + 1) = 2.4076059644,
    // so -log p = [0.4076059644, 1.4076059644, 2.4076059644] for row 1 and reversed for row 2.
    // Row 3 [1, 1, 1] is ignored.
    let logits = Tensor(rows: [[2, 1, 0], [0, 1, 2], [1, 1, 1]])
    let targets = [0, 1, -100]

    @Test func crossEntropyIgnoreIndexByHand() {
        // Losses 0.4076059644 and 1.4076059644; the mean divides by the 2 non-ignored targets.
        #expect(nnClose(CrossEntropyLoss()(logits, targets).item(), 0.9076059644))
        #expect(nnClose(CrossEntropyLoss(reduction: .sum)(logits, targets).item(), 1.8152119289))
        let none = CrossEntropyLoss(reduction: .none)(logits, targets)
        #expect(none.shape == [3] && nnClose(none.scalars, [0.4076059644, 1.4076059644, 0]))
    }

    @Test func crossEntropyClassWeightsByHand() {
        // w = [1, 2, 0.5]: 1 * 0.4076059644 + 2 * 1.4076059644 = 3.2228178933,
        // divided by w[0] + w[1] = 3 (PyTorch's weighted mean) = 1.0742726311.
        let loss = CrossEntropyLoss(weight: Tensor([1, 2, 0.5]))
        #expect(nnClose(loss(logits, targets).item(), 1.0742726311))
    }

    @Test func crossEntropyLabelSmoothingByHand() {
        // eps = 0.1, C = 3: loss = 0.9 * nll + 0.1/3 * sum_c -log p_c, and sum_c -log p_c = 4.2228178933 in both rows.
        // Row 1: 0.9 * 0.4076059644 + 4.2228178933 / 30 = 0.5076059644; row 2: 1.4076059644. Mean 0.9576059644.
        #expect(nnClose(CrossEntropyLoss(labelSmoothing: 0.1)(logits, targets).item(), 0.9576059644))
        // With w = [1, 2, 0.5]:
        // row 1: 0.9 * 1 * 0.4076059644 + 0.1/3 * (1 * 0.4076059644 + 2 * 1.4076059644 + 0.5 * 2.4076059644) = 0.5143993972
        // row 2: 0.9 * 2 * 1.4076059644 + 0.1/3 * (1 * 2.4076059644 + 2 * 1.4076059644 + 0.5 * 0.4076059644) = 2.7145780985
        // mean: (0.5143993972 + 2.7145780985) / (1 + 2) = 1.0763258319
        let weighted = CrossEntropyLoss(weight: Tensor([1, 2, 0.5]), labelSmoothing: 0.1)
        #expect(nnClose(weighted(logits, targets).item(), 1.0763258319))
        let none = CrossEntropyLoss(weight: Tensor([1, 2, 0.5]), reduction: .none, labelSmoothing: 0.1)(logits, targets)
        #expect(nnClose(none.scalars, [0.5143993972, 2.7145780985, 0]))
    }

    @Test func crossEntropyAtInitIsLogC() {
        let loss = crossEntropy(Tensor.zeros([4, 10]), [1, 2, 3, 4])
        #expect(nnClose(loss.item(), Foundation.log(10.0)))
    }

    @Test(arguments: [Reduction.mean, .sum, .none])
    func crossEntropyGradients(reduction: Reduction) {
        let g = Generator(seed: 11)
        let x = Tensor.randn([2, 3, 5], generator: g, requiresGrad: true)   // [..., C]: 6 rows
        let t = [4, 0, -100, 2, 2, 1]
        for (weight, smoothing) in [(nil, Float(0)), (Tensor([1, 2, 0.5, 1, 3]), 0), (nil, 0.2), (Tensor([1, 2, 0.5, 1, 3]), 0.2)] {
            let loss = CrossEntropyLoss(weight: weight, reduction: reduction, labelSmoothing: smoothing)
            let r = gradCheck([x]) { xs in loss(xs[0], t) }
            #expect(r.passed, "\(reduction) weight \(weight != nil) smoothing \(smoothing): \(r)")
        }
        // An ignored row gets no gradient.
        CrossEntropyLoss(reduction: reduction)(x, t).sum().backward()
        #expect(x.grad!.scalars[10..<15].allSatisfy { $0 == 0 })
    }

    @Test func crossEntropyTargetOutOfRangeSaysWhich() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = CrossEntropyLoss()(Tensor.zeros([2, 3]), [0, 3])
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text.hasPrefix("error: crossEntropy: target 3 at position 1 is out of range for 3 classes"))
        }
    }

    @Test func bceWithLogitsByHandAndStable() {
        // x = 0: loss = log 2 whatever y. x = 2, y = 1: log(1 + e^-2) = 0.1269280110.
        // x = -1, y = 0: log(1 + e^-1) + 1 * ... = (1 - 0) * -1 + log(1 + e^1) = 0.3132616875.
        let x = Tensor([0, 2, -1]), y = Tensor([1, 1, 0])
        let none = BCEWithLogitsLoss(reduction: .none)(x, y)
        #expect(nnClose(none.scalars, [0.6931471806, 0.1269280110, 0.3132616875]))
        #expect(nnClose(BCEWithLogitsLoss()(x, y).item(), (0.6931471806 + 0.1269280110 + 0.3132616875) / 3))
        // pos_weight 3 multiplies the positive term: 3 * log 2, 3 * 0.126928011, and 0.3132616875 unchanged.
        let weighted = BCEWithLogitsLoss(reduction: .sum, posWeight: Tensor([3]))(x, y)
        #expect(nnClose(weighted.item(), 3 * 0.6931471806 + 3 * 0.1269280110 + 0.3132616875))
        // Large logits do not overflow: x = 100, y = 0 -> 100; x = -100, y = 1 -> 100.
        #expect(nnClose(BCEWithLogitsLoss(reduction: .none)(Tensor([100, -100]), Tensor([0, 1])).scalars, [100, 100]))
        // Syllabus lesson 1: p 0.3 -> 0.4 on label 1 lowers BCE from 1.204 to 0.916.
        let logit = { (p: Float) in Foundation.log(p / (1 - p)) }
        #expect(nnClose(BCEWithLogitsLoss()(Tensor([logit(0.3)]), Tensor([1])).item(), 1.2039728, 1e-5))
        #expect(nnClose(BCEWithLogitsLoss()(Tensor([logit(0.4)]), Tensor([1])).item(), 0.9162907, 1e-5))
    }

    @Test(arguments: [Reduction.mean, .sum, .none])
    func bceWithLogitsGradients(reduction: Reduction) {
        let g = Generator(seed: 12)
        let x = Tensor.randn([3, 4], generator: g, requiresGrad: true)
        let y = Tensor.uniform([3, 4], generator: g, requiresGrad: true)
        for posWeight in [nil, Tensor([0.5, 1, 2, 4])] {
            let r = gradCheck([x, y]) { t in BCEWithLogitsLoss(reduction: reduction, posWeight: posWeight)(t[0], t[1]) }
            #expect(r.passed, "\(reduction) posWeight \(posWeight != nil): \(r)")
        }
    }

    @Test(arguments: [Reduction.mean, .sum, .none])
    func mseValuesAndGradients(reduction: Reduction) {
        // (1-0)^2 + (2-4)^2 + (3-3)^2 = 5; mean 5/3.
        let loss = MSELoss(reduction: reduction)(Tensor([1, 2, 3]), Tensor([0, 4, 3]))
        switch reduction {
        case .mean: #expect(nnClose(loss.item(), 5.0 / 3))
        case .sum: #expect(loss.item() == 5)
        case .none: #expect(loss.scalars == [1, 4, 0])
        }
        let g = Generator(seed: 13)
        let a = Tensor.randn([2, 3], generator: g, requiresGrad: true), b = Tensor.randn([2, 3], generator: g, requiresGrad: true)
        let r = gradCheck([a, b]) { t in MSELoss(reduction: reduction)(t[0], t[1]) }
        #expect(r.passed, "\(r)")
    }
}
