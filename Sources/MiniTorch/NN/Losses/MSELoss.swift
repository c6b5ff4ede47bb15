/// Mean squared error, as `torch.nn.MSELoss`: (input - target)^2, reduced.
public struct MSELoss: CustomStringConvertible {
    public var reduction: Reduction

    public init(reduction: Reduction = .mean) { self.reduction = reduction }

    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        mseLoss(input, target, reduction: reduction)
    }

    public var description: String { "MSELoss(reduction: .\(reduction.rawValue))" }
}

/// `torch.nn.functional.mse_loss`, fused. Both sides get a gradient: d/dinput = 2 (input - target).
public func mseLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    if input.shape != target.shape {
        fail("mseLoss: input \(show(input.shape)) and target \(show(target.shape)) must have the same shape")
    }
    let n = input.count
    let diff = Tensor(uninitializedShape: input.shape)   // input - target, kept for backward
    let dp = diff.pointer, ip = input.pointer, tp = target.pointer
    for i in 0..<n { dp[i] = ip[i] - tp[i] }
    let out: Tensor
    switch reduction {
    case .none: out = diff.map { $0 * $0 }
    case .sum, .mean:
        var s: Float = 0
        for i in 0..<n { s += dp[i] * dp[i] }
        out = Tensor(scalar: reduction == .mean ? s / Float(Swift.max(n, 1)) : s)
    }
    let needInput = input.requiresGrad, needTarget = target.requiresGrad
    out.recordBackward("mse_loss", from: [input, target]) { g in
        let scale: Float = reduction == .mean ? 2 / Float(Swift.max(n, 1)) : 2
        let d = Tensor(uninitializedShape: diff.shape)
        let gp = g.pointer, dd = d.pointer, dp = diff.pointer
        for i in 0..<n { dd[i] = dp[i] * scale * (reduction == .none ? gp[i] : gp[0]) }
        return [needInput ? d : nil, needTarget ? -d : nil]
    }
    return out
}
