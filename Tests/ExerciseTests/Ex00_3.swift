import Testing
import MiniTorch

/// ex00_3: GELU's tanh approximation, forward and backward
/// (Sources/MiniTorch/Tensor/Activations.swift, `gelu(approximate: .tanh)`).
@Suite("ex00_3: GELU, the tanh approximation")
struct Ex00_3 {
    /// PyTorch: F.gelu(torch.tensor([1., -1., 2., 0.]), approximate='tanh').
    @Test func forwardMatchesPyTorch() {
        let y = Tensor([1, -1, 2, 0], shape: [4]).gelu(approximate: .tanh)
        #expect(exerciseClose(y.scalars, [0.8411920, -0.15880801, 1.9545977, 0], 1e-6), "gelu tanh = \(y.scalars)")
    }

    /// PyTorch: x = torch.tensor([1., -1., 2., 0.], requires_grad=True);
    /// F.gelu(x, approximate='tanh').sum().backward(); x.grad.
    @Test func backwardMatchesPyTorch() {
        let x = Tensor([1, -1, 2, 0], shape: [4], requiresGrad: true)
        x.gelu(approximate: .tanh).sum().backward()
        let grad = x.grad?.scalars ?? []
        #expect(exerciseClose(grad, [1.0829640, -0.08296408, 1.0860993, 0.5], 1e-5), "grad = \(grad)")
    }

    @Test func finiteDifferencesAgree() {
        let x = Tensor.randn([2, 5], generator: Generator(seed: 3), requiresGrad: true)
        let result = gradCheck([x]) { $0[0].gelu(approximate: .tanh) }
        #expect(result.passed, "\(result)")
    }
}
