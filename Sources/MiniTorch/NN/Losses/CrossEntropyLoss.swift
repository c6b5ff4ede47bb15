import Foundation

/// Cross-entropy between logits and class indices, as `torch.nn.CrossEntropyLoss`.
///
/// For logits z [N, C] (or [..., C], with targets in the same row-major order), target y_i,
/// class weights w (default 1) and smoothing eps, PyTorch computes (aten/src/ATen/native/
/// LossNLL.cpp, `cross_entropy_loss_label_smoothing`), with log p = logSoftmax(z):
///
///     loss_i = (1 - eps) * w[y_i] * -log p[i, y_i]  +  eps / C * sum_c w[c] * -log p[i, c]
///
/// Targets equal to `ignoreIndex` contribute 0. `.mean` divides the sum by sum_i w[y_i] over
/// non-ignored targets (the count of them without weights), not by N: that is the "weighted
/// mean" of `nll_loss`, and why all-ignored batches give NaN (0/0), as in PyTorch.
public struct CrossEntropyLoss: CustomStringConvertible {
    public var weight: Tensor?
    public var ignoreIndex: Int
    public var reduction: Reduction
    public var labelSmoothing: Float

    public init(weight: Tensor? = nil, ignoreIndex: Int = -100, reduction: Reduction = .mean, labelSmoothing: Float = 0) {
        self.weight = weight
        self.ignoreIndex = ignoreIndex
        self.reduction = reduction
        self.labelSmoothing = labelSmoothing
    }

    public func callAsFunction(_ logits: Tensor, _ targets: [Int]) -> Tensor {
        crossEntropy(logits, targets, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction, labelSmoothing: labelSmoothing)
    }

    public var description: String {
        "CrossEntropyLoss(reduction: .\(reduction.rawValue), ignoreIndex: \(ignoreIndex)\(weight == nil ? "" : ", weighted")\(labelSmoothing == 0 ? "" : ", labelSmoothing: \(labelSmoothing)"))"
    }
}

/// `torch.nn.functional.cross_entropy`, fused: one pass computes each row's log-sum-exp and its
/// loss; the backward is (softmax - target distribution) per row, never materialising log p.
public func crossEntropy(_ logits: Tensor, _ targets: [Int], weight: Tensor? = nil, ignoreIndex: Int = -100,
                         reduction: Reduction = .mean, labelSmoothing: Float = 0) -> Tensor {
    if logits.rank < 1 { fail("crossEntropy: logits must have a class axis, got shape \(show(logits.shape))") }
    let c = logits.shape[logits.rank - 1]
    let n = c == 0 ? 0 : logits.count / c
    if targets.count != n {
        fail("crossEntropy: logits \(show(logits.shape)) have \(n) rows of \(c) classes but there are \(targets.count) targets")
    }
    if let weight, weight.shape != [c] {
        fail("crossEntropy: weight has shape \(show(weight.shape)), expected [\(c)] (one per class)")
    }
    if !(labelSmoothing >= 0 && labelSmoothing <= 1) {
        fail("crossEntropy: labelSmoothing must be in [0, 1] (got \(labelSmoothing))")
    }
    for (i, t) in targets.enumerated() where t != ignoreIndex && (t < 0 || t >= c) {
        fail("crossEntropy: target \(t) at position \(i) is out of range for \(c) classes (use 0..<\(c), or ignoreIndex \(ignoreIndex) to skip)")
    }

    let eps = labelSmoothing
    let w = weight.map { Array($0.buffer) } ?? [Float](repeating: 1, count: c)
    let weightTotal = w.reduce(0, +)                        // sum_c w[c], for the smoothing term
    let z = logits.pointer
    var lse = [Float](repeating: 0, count: n)               // log-sum-exp per row, kept for backward
    var losses = [Float](repeating: 0, count: n)
    // Rows are independent, so they split between threads; the sums over rows stay in order below.
    lse.withUnsafeMutableBufferPointer { lse in
        losses.withUnsafeMutableBufferPointer { losses in
            Parallel.forChunks(n, cost: c) { chunk in
                for i in chunk {
                    let t = targets[i]
                    if t == ignoreIndex { continue }
                    let row = z + i * c
                    var m = -Float.infinity
                    for j in 0..<c { m = Swift.max(m, row[j]) }
                    var s: Float = 0
                    for j in 0..<c { s += Foundation.exp(row[j] - m) }
                    let l = m + Foundation.log(s)
                    lse[i] = l
                    var loss = (1 - eps) * w[t] * (l - row[t])          // (1 - eps) * w[y] * -log p[y]
                    if eps > 0 {
                        var smooth: Float = 0
                        for j in 0..<c { smooth += w[j] * (l - row[j]) }  // sum_c w[c] * -log p[c]
                        loss += eps / Float(c) * smooth
                    }
                    losses[i] = loss
                }
            }
        }
    }
    var denominator: Float = 0                              // sum of w[y_i] over non-ignored targets
    for t in targets where t != ignoreIndex { denominator += w[t] }

    let out: Tensor
    switch reduction {
    case .none: out = Tensor(losses, shape: Array(logits.shape.dropLast()))   // [..., C] -> [...]
    case .sum: out = Tensor(scalar: losses.reduce(0, +))
    case .mean: out = Tensor(scalar: losses.reduce(0, +) / denominator)
    }

    let x = logits.detach()
    out.recordBackward("cross_entropy", from: [logits]) { g in
        // d loss_i / d z_k = p_k * ((1 - eps) w[y] + eps/C * sum_c w[c]) - (1 - eps) w[y] [k == y] - eps/C * w[k]
        let d = Tensor(uninitializedShape: x.shape)
        let dp = d.pointer, zp = x.pointer, gp = g.pointer
        Parallel.forChunks(n, cost: c) { chunk in   // each thread fills its own rows
            for i in chunk {
                let t = targets[i], dr = dp + i * c
                if t == ignoreIndex {   // an ignored row gets no gradient
                    dr.update(repeating: 0, count: c)
                    continue
                }
                let upstream: Float
                switch reduction {
                case .none: upstream = gp[i]
                case .sum: upstream = gp[0]
                case .mean: upstream = gp[0] / denominator
                }
                let a = (1 - eps) * w[t], b = eps / Float(c)
                let total = (a + b * weightTotal) * upstream
                let row = zp + i * c, l = lse[i]
                for k in 0..<c { dr[k] = Foundation.exp(row[k] - l) * total - b * w[k] * upstream }
                dr[t] -= a * upstream
            }
        }
        return [d]
    }
    return out
}
