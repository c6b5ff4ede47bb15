import Foundation

/// Adam, as `torch.optim.Adam`; weight decay here is an L2 term added to the gradient.
///
/// PyTorch's update (torch/optim/adam.py, `_single_tensor_adam`), per parameter p, at step t
/// counted from 1:
///
///     g = g + weightDecay * p                   (Adam only; AdamW decays p instead, see below)
///     m = beta1 * m + (1 - beta1) * g           exp_avg
///     v = beta2 * v + (1 - beta2) * g^2         exp_avg_sq
///     p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
///
/// The two divisions by (1 - beta^t) are the bias correction: m and v start at 0, so early
/// averages are too small by exactly that factor.
public class Adam: Optimizer {
    public var learningRate: Float
    public let parameters: [Tensor]
    public let betas: (Float, Float)
    public let eps: Float
    public let weightDecay: Float
    /// AdamW's decoupled decay (`p *= 1 - lr * weightDecay` before the update).
    let decoupledWeightDecay: Bool
    public var state: [ParameterState?]

    public convenience init(parameters: [Tensor], learningRate: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
                            eps: Float = 1e-8, weightDecay: Float = 0) {
        self.init(parameters: parameters, learningRate: learningRate, betas: betas, eps: eps,
                  weightDecay: weightDecay, decoupled: false)
    }

    init(parameters: [Tensor], learningRate: Float, betas: (Float, Float), eps: Float, weightDecay: Float, decoupled: Bool) {
        let name = decoupled ? "AdamW" : "Adam"
        if learningRate < 0 { fail("\(name): learningRate must not be negative (got \(learningRate))") }
        if !(0..<1).contains(betas.0) || !(0..<1).contains(betas.1) {
            fail("\(name): betas must be in [0, 1) (got \(betas.0), \(betas.1))")
        }
        if eps < 0 { fail("\(name): eps must not be negative (got \(eps))") }
        if weightDecay < 0 { fail("\(name): weightDecay must not be negative (got \(weightDecay))") }
        self.learningRate = learningRate
        self.parameters = parameters
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupled
        state = Array(repeating: nil, count: parameters.count)
    }

    public func step() {
        for (i, param, grad) in updatable(parameters) {
            var s = state[i] ?? ParameterState(step: 0, buffers: ["exp_avg": .zeros(param.shape), "exp_avg_sq": .zeros(param.shape)])
            s.step += 1
            let update = AdamUpdate(step: s.step, learningRate: learningRate, betas: betas, eps: eps,
                                    weightDecay: weightDecay, decoupled: decoupledWeightDecay)
            let p = param.pointer, g = grad.pointer, m = s.buffers["exp_avg"]!.pointer, v = s.buffers["exp_avg_sq"]!.pointer
            Parallel.forChunks(param.count) { chunk in   // element-wise: any split, the same numbers
                update.applyVectorized(p, g, m, v, chunk)   // `apply`, 16 at a time (Kernels/AdamVector.swift)
            }
            state[i] = s
        }
    }
}

/// One step of the update above for a run of elements, with its bias corrections worked out
/// once per parameter. `Adam`, `AdamW` and `PagedAdamW` (page by page) all step through it.
struct AdamUpdate {
    let b1, b2, eps, stepSize, bc2Sqrt, decay, l2: Float

    init(step: Int, learningRate lr: Float, betas: (Float, Float), eps: Float, weightDecay wd: Float, decoupled: Bool) {
        (b1, b2, self.eps) = (betas.0, betas.1, eps)
        let t = Double(step)
        let bc1 = 1 - pow(Double(b1), t), bc2 = 1 - pow(Double(b2), t)
        stepSize = Float(Double(lr) / bc1)
        bc2Sqrt = Float(bc2.squareRoot())
        decay = decoupled ? 1 - lr * wd : 1   // AdamW shrinks the parameter
        l2 = decoupled ? 0 : wd               // Adam adds wd * p to the gradient
    }

    /// Updates p, exp_avg m and exp_avg_sq v at the indices in `range`, from the gradient g.
    @inline(__always)
    func apply(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
               _ v: UnsafeMutablePointer<Float>, _ range: Range<Int>) {
        for j in range {
            let d = g[j] + l2 * p[j]
            m[j] = b1 * m[j] + (1 - b1) * d
            v[j] = b2 * v[j] + (1 - b2) * d * d
            p[j] = p[j] * decay - stepSize * m[j] / (v[j].squareRoot() / bc2Sqrt + eps)
        }
    }
}

/// AdamW, as `torch.optim.AdamW`: Adam with decoupled weight decay (Loshchilov & Hutter).
/// Before the Adam update each parameter shrinks, p = p * (1 - lr * weightDecay), instead of
/// adding weightDecay * p to the gradient, so the decay is not rescaled by Adam's 1/sqrt(v).
public final class AdamW: Adam {
    public init(parameters: [Tensor], learningRate: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
                eps: Float = 1e-8, weightDecay: Float = 0.01) {
        super.init(parameters: parameters, learningRate: learningRate, betas: betas, eps: eps,
                   weightDecay: weightDecay, decoupled: true)
    }
}
