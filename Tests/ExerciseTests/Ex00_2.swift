import Testing
import MiniTorch

/// ex00_2: the sigmoid's backward (Sources/MiniTorch/Tensor/Activations.swift).
/// dy/dx = y (1 - y) with y = sigmoid(x), times the upstream gradient.
@Suite("ex00_2: the sigmoid backward")
struct Ex00_2 {
    /// PyTorch: x = torch.tensor([-2., -.5, 0., .5, 3.], requires_grad=True);
    /// torch.sigmoid(x).sum().backward(); x.grad.
    @Test func gradientIsYTimesOneMinusY() {
        let x = Tensor([-2, -0.5, 0, 0.5, 3], shape: [5], requiresGrad: true)
        x.sigmoid().sum().backward()
        let grad = x.grad?.scalars ?? []
        #expect(exerciseClose(grad, [0.10499359, 0.23500371, 0.25, 0.23500371, 0.04517666]), "grad = \(grad)")
    }

    @Test func upstreamGradientMultiplies() {
        let grad = exerciseGradient([1, -1, 2, -3], shape: [2, 2], weights: [2, -1, 0.5, 4]) { $0.sigmoid() }
        // y(1 - y) at 1, -1, 2, -3: 0.19661193, 0.19661193, 0.10499359, 0.04517666.
        #expect(exerciseClose(grad, [0.39322386, -0.19661193, 0.052496795, 0.18070664], 1e-6), "grad = \(grad)")
    }

    @Test func finiteDifferencesAgree() {
        let x = Tensor.randn([3, 4], generator: Generator(seed: 7), requiresGrad: true)
        let result = gradCheck([x]) { $0[0].sigmoid() }
        #expect(result.passed, "\(result)")
    }
}
