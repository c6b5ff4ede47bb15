import Testing
@testable import MiniTorch

@Suite("Ops: element-wise functions and activations")
struct OpsActivationTests {
    let g = Generator(seed: 11)

    @Test func smoothUnaryGradients() {
        let x = Tensor.randn([3, 4], generator: g, requiresGrad: true)
        let positive = Tensor.uniform([3, 4], low: 0.5, high: 2, generator: g, requiresGrad: true)
        let checks: [(String, Tensor, (Tensor) -> Tensor)] = [
            ("exp", x, { $0.exp() }),
            ("log", positive, { $0.log() }),
            ("sqrt", positive, { $0.sqrt() }),
            ("pow 3", x, { $0.pow(3) }),
            ("pow -1.5", positive, { $0.pow(-1.5) }),
            ("pow 2", x, { $0.pow(2) }),
            ("square", x, { $0.square() }),
            ("tanh", x, { $0.tanh() }),
            ("sigmoid", x, { $0.sigmoid() }),
            ("gelu", x, { $0.gelu() }),
            ("gelu tanh", x, { $0.gelu(approximate: .tanh) }),
        ]
        for (name, input, f) in checks {
            let r = gradCheck([input]) { f($0[0]) }
            #expect(r.passed, "\(name): \(r)")
        }
    }

    @Test func kinkedUnaryGradients() {
        let x = opsSpreadInput([4, 5], seed: 2)
        #expect(gradCheck([x]) { $0[0].relu() }.passed)
        #expect(gradCheck([x]) { $0[0].abs() }.passed)
        #expect(gradCheck([x]) { $0[0].clamp(min: -0.5, max: 0.5) }.passed)
        #expect(gradCheck([x]) { $0[0].clamp(min: 0.3) }.passed)
        #expect(gradCheck([x]) { $0[0].clamp(max: -0.3) }.passed)
    }

    @Test func binaryPowAndMaximumGradients() {
        let base = Tensor.uniform([2, 3], low: 0.5, high: 2, generator: g, requiresGrad: true)
        let exponent = Tensor.uniform([3], low: -1, high: 2, generator: g, requiresGrad: true)
        #expect(gradCheck([base, exponent]) { $0[0].pow($0[1]) }.passed)
        let a = opsSpreadInput([2, 3, 4], seed: 3)
        let b = Tensor((0..<4).map { Float($0) * 0.3 - 0.42 }, requiresGrad: true)   // never within 0.01 of a
        #expect(gradCheck([a, b]) { $0[0].maximum($0[1]) }.passed)
        #expect(gradCheck([a, b]) { $0[0].minimum($0[1]) }.passed)
        #expect(Tensor([1, 5, 3]).maximum(Tensor([4, 2, 3])).scalars == [4, 5, 3])
        #expect(Tensor([1, 5, 3]).minimum(Tensor(scalar: 2)).scalars == [1, 2, 2])
    }

    @Test func valuesMatchDefinitions() {
        let x = Tensor([-2, -0.5, 0, 0.5, 3])
        #expect(x.relu().scalars == [0, 0, 0, 0.5, 3])
        #expect(x.abs().scalars == [2, 0.5, 0, 0.5, 3])
        #expect(x.clamp(min: -1, max: 1).scalars == [-1, -0.5, 0, 0.5, 1])
        #expect(opsClose(x.sigmoid().scalars, [0.11920292, 0.37754067, 0.5, 0.62245933, 0.95257413]))
        #expect(opsClose(x.tanh().scalars, [-0.96402758, -0.46211716, 0, 0.46211716, 0.99505475]))
        #expect(opsClose(x.exp().log().scalars, x.scalars, 1e-6))
        #expect(opsClose(Tensor([4, 9, 0.25]).sqrt().scalars, [2, 3, 0.5]))
        #expect(opsClose(Tensor([2, 3]).pow(3).scalars, [8, 27]))
    }

    /// Reference values from PyTorch `F.gelu(torch.tensor([1., -1., 2.]), approximate=...)`.
    @Test func geluMatchesPyTorch() {
        let x = Tensor([1, -1, 2, 0])
        #expect(opsClose(x.gelu().scalars, [0.8413447, -0.15865526, 1.9544997, 0], 1e-6))
        #expect(opsClose(x.gelu(approximate: .tanh).scalars, [0.8411920, -0.15880801, 1.9545977, 0], 1e-6))
    }
}
