import Foundation

/// Binary cross-entropy on raw scores, as `torch.nn.BCEWithLogitsLoss`: sigmoid and the log in
/// one stable formula, for two-class and multi-label heads.
///
/// With targets y in [0, 1] and pos_weight p (default 1), PyTorch
/// (`binary_cross_entropy_with_logits` in aten/src/ATen/native/Loss.cpp) computes
///
///     loss = (1 - y) * x + (1 + (p - 1) * y) * softplus(-x)
///     softplus(-x) = log(1 + e^-x) = max(-x, 0) + log(1 + e^-|x|)      (never overflows)
///
/// which equals -[p y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))].
public struct BCEWithLogitsLoss: CustomStringConvertible {
    public var reduction: Reduction
    /// Weight of positive examples, one per class (the last axis) or a single value.
    public var posWeight: Tensor?

    public init(reduction: Reduction = .mean, posWeight: Tensor? = nil) {
        self.reduction = reduction
        self.posWeight = posWeight
    }

    public func callAsFunction(_ logits: Tensor, _ targets: Tensor) -> Tensor {
        binaryCrossEntropyWithLogits(logits, targets, reduction: reduction, posWeight: posWeight)
    }

    public var description: String { "BCEWithLogitsLoss(reduction: .\(reduction.rawValue)\(posWeight == nil ? "" : ", posWeight"))" }
}

/// `torch.nn.functional.binary_cross_entropy_with_logits`, fused forward and backward.
public func binaryCrossEntropyWithLogits(_ logits: Tensor, _ targets: Tensor, reduction: Reduction = .mean,
                                         posWeight: Tensor? = nil) -> Tensor {
    if logits.shape != targets.shape {
        fail("binaryCrossEntropyWithLogits: logits \(show(logits.shape)) and targets \(show(targets.shape)) must have the same shape")
    }
    let last = logits.shape.last ?? 1
    if let posWeight, posWeight.count != 1 && posWeight.shape != [last] {
        fail("binaryCrossEntropyWithLogits: posWeight has shape \(show(posWeight.shape)), expected [\(last)] (one per class) or [1]")
    }
    let n = logits.count
    let pw = posWeight.map { Array($0.buffer) }
    func weightOf(_ i: Int) -> Float { pw.map { $0.count == 1 ? $0[0] : $0[i % last] } ?? 1 }
    func softplusNeg(_ x: Float) -> Float { Swift.max(-x, 0) + Foundation.log1p(Foundation.exp(-abs(x))) }   // log(1 + e^-x)

    let xp = logits.pointer, yp = targets.pointer
    let losses = Tensor(uninitializedShape: logits.shape)
    let lp = losses.pointer
    for i in 0..<n {
        let x = xp[i], y = yp[i]
        lp[i] = (1 - y) * x + (1 + (weightOf(i) - 1) * y) * softplusNeg(x)
    }
    let out: Tensor
    switch reduction {
    case .none: out = losses
    case .sum: out = Tensor(scalar: losses.buffer.reduce(0, +))
    case .mean: out = Tensor(scalar: losses.buffer.reduce(0, +) / Float(Swift.max(n, 1)))
    }
    let (xs, ys) = (logits.detach(), targets.detach())
    let needX = logits.requiresGrad, needY = targets.requiresGrad
    out.recordBackward("binary_cross_entropy_with_logits", from: [logits, targets]) { g in
        let scale: Float = reduction == .mean ? 1 / Float(Swift.max(n, 1)) : 1
        func upstream(_ i: Int) -> Float { reduction == .none ? g.pointer[i] : g.pointer[0] * scale }
        var dx: Tensor? = nil, dy: Tensor? = nil
        if needX {   // dloss/dx = (1 - y) - (1 + (p - 1) y) * sigmoid(-x)
            let d = Tensor(uninitializedShape: xs.shape)
            for i in 0..<n {
                let x = xs.pointer[i], y = ys.pointer[i]
                let sigNeg = 1 / (1 + Foundation.exp(x))
                d.pointer[i] = ((1 - y) - (1 + (weightOf(i) - 1) * y) * sigNeg) * upstream(i)
            }
            dx = d
        }
        if needY {   // dloss/dy = -x + (p - 1) * softplus(-x)
            let d = Tensor(uninitializedShape: ys.shape)
            for i in 0..<n {
                let x = xs.pointer[i]
                d.pointer[i] = (-x + (weightOf(i) - 1) * softplusNeg(x)) * upstream(i)
            }
            dy = d
        }
        return [dx, dy]
    }
    return out
}
