import Testing
@testable import MiniTorch

/// Two updates of p = [1, -2] with the gradients [0.5, -1] then [0.2, 0.3], lr 0.1.
private func twoSteps(_ make: ([Tensor]) -> Optimizer) -> (first: [Float], second: [Float]) {
    let p = Tensor([1, -2], requiresGrad: true)
    let optimizer = make([p])
    p.grad = Tensor([0.5, -1])
    optimizer.step()
    let first = p.scalars
    optimizer.zeroGrad()
    p.grad = Tensor([0.2, 0.3])
    optimizer.step()
    return (first, p.scalars)
}

@Suite("Optimizers")
struct OptimizerTests {
    @Test func sgdMomentumByHand() {
        // Step 1: b = g = [0.5, -1]; p = [1, -2] - 0.1 * b = [0.95, -1.9].
        // Step 2: b = 0.9 * [0.5, -1] + [0.2, 0.3] = [0.65, -0.6]; p = [0.95 - 0.065, -1.9 + 0.06] = [0.885, -1.84].
        let r = twoSteps { SGD(parameters: $0, learningRate: 0.1, momentum: 0.9) }
        #expect(nnClose(r.first, [0.95, -1.9]) && nnClose(r.second, [0.885, -1.84]))
    }

    @Test func sgdNesterovByHand() {
        // Step 1: b = [0.5, -1]; d = g + 0.9 b = [0.95, -1.9]; p = [1 - 0.095, -2 + 0.19] = [0.905, -1.81].
        // Step 2: b = [0.65, -0.6]; d = [0.2 + 0.585, 0.3 - 0.54] = [0.785, -0.24]; p = [0.8265, -1.786].
        let r = twoSteps { SGD(parameters: $0, learningRate: 0.1, momentum: 0.9, nesterov: true) }
        #expect(nnClose(r.first, [0.905, -1.81]) && nnClose(r.second, [0.8265, -1.786]))
    }

    @Test func sgdWeightDecayByHand() {
        // Step 1: d = g + 0.1 p = [0.6, -1.2]; b = d; p = [0.94, -1.88].
        // Step 2: d = [0.2 + 0.094, 0.3 - 0.188] = [0.294, 0.112]; b = 0.9 * [0.6, -1.2] + d = [0.834, -0.968];
        //         p = [0.94 - 0.0834, -1.88 + 0.0968] = [0.8566, -1.7832].
        let r = twoSteps { SGD(parameters: $0, learningRate: 0.1, momentum: 0.9, weightDecay: 0.1) }
        #expect(nnClose(r.first, [0.94, -1.88]) && nnClose(r.second, [0.8566, -1.7832]))
    }

    @Test func adamByHand() {
        // Step 1: m = 0.1 g = [0.05, -0.1]; v = 0.001 g^2 = [0.00025, 0.001]; bias corrections 0.1 and 0.001
        //         give m^ = g, sqrt(v^) = |g|, so p moves by lr * sign(g): [0.9, -1.9].
        // Step 2: m = 0.9 m + 0.1 [0.2, 0.3] = [0.065, -0.06]; v = 0.999 v + 0.001 [0.04, 0.09] = [0.00028975, 0.001089];
        //         step size 0.1 / (1 - 0.81) = 0.5263158; denominators sqrt(v) / sqrt(1 - 0.998001) + 1e-8
        //         = [0.3807123, 0.7380851]; p = [0.9 - 0.5263158 * 0.065 / 0.3807123, -1.9 + 0.5263158 * 0.06 / 0.7380851]
        //         = [0.8101425, -1.8572151].
        let r = twoSteps { Adam(parameters: $0, learningRate: 0.1) }
        #expect(nnClose(r.first, [0.9, -1.9]) && nnClose(r.second, [0.8101425, -1.8572151]))
        // The same arithmetic written out, for the first coordinate of step 2:
        let m = 0.9 * 0.05 + 0.1 * 0.2, v = 0.999 * 0.00025 + 0.001 * 0.04
        let expected = 0.9 - 0.1 / (1 - 0.81) * m / (v.squareRoot() / (1 - 0.999 * 0.999).squareRoot() + 1e-8)
        #expect(nnClose(r.second[0], expected))
    }

    @Test func adamL2WeightDecayByHand() {
        // torch.optim.Adam adds weightDecay * p to the gradient.
        // Step 1: g = [0.5 + 0.1, -1 - 0.2] = [0.6, -1.2] -> p moves by lr * sign: [0.9, -1.9].
        // Step 2: g = [0.2 + 0.09, 0.3 - 0.19] = [0.29, 0.11]; m = [0.9*0.06 + 0.029, -0.108 + 0.011] = [0.083, -0.097];
        //         v = [0.999*0.00036 + 0.001*0.0841, 0.999*0.00144 + 0.001*0.0121] = [0.00044374, 0.00145066];
        //         p = [0.9 - 0.5263158 * 0.083 / (sqrt(0.00044374)/0.0447102 + 1e-8), ...] = [0.8072815, -1.8400704].
        let r = twoSteps { Adam(parameters: $0, learningRate: 0.1, weightDecay: 0.1) }
        #expect(nnClose(r.first, [0.9, -1.9]) && nnClose(r.second, [0.8072815, -1.8400704]))
    }

    @Test func adamWByHand() {
        // torch.optim.AdamW decays p first: p *= 1 - lr * wd = 0.99, then the plain Adam step.
        // Step 1: [0.99, -1.98] - 0.1 * sign(g) = [0.89, -1.88].
        // Step 2: [0.8811, -1.8612] - (Adam's step-2 update [0.0898575, -0.0427849]) = [0.7912425, -1.8184151].
        let r = twoSteps { AdamW(parameters: $0, learningRate: 0.1, weightDecay: 0.1) }
        #expect(nnClose(r.first, [0.89, -1.88]) && nnClose(r.second, [0.7912425, -1.8184151]))
    }

    @Test func skipsFrozenAndGradlessParameters() {
        let a = Tensor([1, 1], requiresGrad: true), b = Tensor([1, 1], requiresGrad: true), c = Tensor([1, 1])
        c.grad = Tensor([1, 1])
        a.grad = Tensor([1, 1])
        let opt = AdamW(parameters: [a, b, c], learningRate: 0.1)
        opt.step()
        #expect(a.scalars != [1, 1] && b.scalars == [1, 1] && c.scalars == [1, 1])
        #expect(opt.state[0]?.step == 1 && opt.state[1] == nil && opt.state[2] == nil)
        #expect(opt.stateBytes == 2 * 2 * 4)   // exp_avg and exp_avg_sq of one 2-element parameter
    }

    @Test func adamStateIsOnTheLedgerAndRoundTrips() {
        let model = MLP(sizes: [3, 5, 2], generator: Generator(seed: 1))
        let copy = MLP(sizes: [3, 5, 2], generator: Generator(seed: 1))
        let x = Tensor.randn([4, 3], generator: Generator(seed: 2))
        func lossStep(_ m: MLP, _ o: Optimizer) {
            o.zeroGrad()
            crossEntropy(m(x), [0, 1, 1, 0]).backward()
            o.step()
        }
        let (opt, bytes) = MemoryLedger.measure { () -> Adam in
            let o = Adam(parameters: model.parameters(), learningRate: 0.01)
            lossStep(model, o); lossStep(model, o)
            return o
        }
        #expect(opt.stateBytes == 2 * model.parameterCount() * 4)
        #expect(bytes >= opt.stateBytes)
        // Restore model and optimizer state into fresh objects: the next step matches exactly.
        copy.loadStateDict(model.stateDict())
        let restored = Adam(parameters: copy.parameters(), learningRate: 0.5)
        restored.loadStateDict(opt.stateDict())
        #expect(restored.learningRate == 0.01 && restored.state[0]?.step == 2)
        lossStep(model, opt); lossStep(copy, restored)
        #expect(zip(model.parameters(), copy.parameters()).allSatisfy { $0.scalars == $1.scalars })
    }

    @Test func clipGradNormReturnsTheNormAndScales() {
        // Gradients [3, 4] and [12]: total 2-norm sqrt(9 + 16 + 144) = 13.
        let a = Tensor([0, 0], requiresGrad: true), b = Tensor([0], requiresGrad: true), frozen = Tensor([0])
        a.grad = Tensor([3, 4]); b.grad = Tensor([12])
        #expect(clipGradNorm([a, b, frozen], maxNorm: 20) == 13)
        #expect(a.grad!.scalars == [3, 4])   // under the limit: untouched
        let norm = clipGradNorm([a, b], maxNorm: 6.5)
        #expect(norm == 13)
        // Scaled by 6.5 / (13 + 1e-6).
        #expect(nnClose(a.grad!.scalars + b.grad!.scalars, [1.5, 2, 6]))
        a.grad = Tensor([3, -4]); b.grad = Tensor([2])
        #expect(clipGradNorm([a, b], maxNorm: 1, normType: .infinity) == 4)
        #expect(nnClose(a.grad!.scalars, [0.75, -1], 1e-6))
    }

    @Test func aTinyMLPLearnsXOR() {
        let g = Generator(seed: 3)
        let model = MLP(sizes: [2, 16, 2], activation: .tanh, generator: g)
        let x = Tensor(rows: [[0, 0], [0, 1], [1, 0], [1, 1]]), y = [0, 1, 1, 0]
        let optimizer = AdamW(parameters: model.parameters(), learningRate: 0.05, weightDecay: 0)
        let first = crossEntropy(model(x), y).item()
        var last = first
        for _ in 0..<200 {
            optimizer.zeroGrad()
            let loss = crossEntropy(model(x), y)
            loss.backward()
            optimizer.step()
            last = loss.item()
        }
        #expect(last < 0.05 * first, "loss \(first) -> \(last)")
        #expect(model(x).argmax(axis: -1) == y)
    }
}
