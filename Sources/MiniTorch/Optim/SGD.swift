/// Stochastic gradient descent with momentum, as `torch.optim.SGD`.
///
/// PyTorch's update (torch/optim/sgd.py, `_single_tensor_sgd`), per parameter p with gradient g:
///
///     g = g + weightDecay * p                         (L2 penalty, if weightDecay != 0)
///     b = g                                           (first step: the buffer is g itself)
///     b = momentum * b + (1 - dampening) * g          (later steps)
///     g = nesterov ? g + momentum * b : b             (if momentum != 0)
///     p = p - lr * g
public final class SGD: Optimizer {
    public var learningRate: Float
    public let parameters: [Tensor]
    public let momentum: Float
    public let dampening: Float
    public let weightDecay: Float
    public let nesterov: Bool
    public var state: [ParameterState?]

    public init(parameters: [Tensor], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
                weightDecay: Float = 0, nesterov: Bool = false) {
        if learningRate < 0 { fail("SGD: learningRate must not be negative (got \(learningRate))") }
        if momentum < 0 { fail("SGD: momentum must not be negative (got \(momentum))") }
        if weightDecay < 0 { fail("SGD: weightDecay must not be negative (got \(weightDecay))") }
        if nesterov && (momentum <= 0 || dampening != 0) {
            fail("SGD: nesterov needs momentum > 0 and dampening 0 (got momentum \(momentum), dampening \(dampening))")
        }
        self.learningRate = learningRate
        self.parameters = parameters
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        state = Array(repeating: nil, count: parameters.count)
    }

    public func step() {
        let lr = learningRate, mu = momentum, damp = dampening, wd = weightDecay, nesterov = nesterov
        for (i, param, grad) in updatable(parameters) {
            let p = param.pointer, g = grad.pointer, n = param.count
            var s = state[i] ?? ParameterState()
            let first = s.buffers["momentum_buffer"] == nil
            if mu != 0 && first { s.buffers["momentum_buffer"] = Tensor.zeros(param.shape) }
            let b = s.buffers["momentum_buffer"]?.pointer
            for j in 0..<n {
                var d = g[j]
                if wd != 0 { d += wd * p[j] }
                if let b {
                    b[j] = first ? d : mu * b[j] + (1 - damp) * d
                    d = nesterov ? d + mu * b[j] : b[j]
                }
                p[j] -= lr * d
            }
            s.step += 1
            state[i] = s
        }
    }
}
