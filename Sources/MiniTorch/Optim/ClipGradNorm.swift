import Foundation

/// Rescales gradients so their combined norm is at most `maxNorm`, as
/// `torch.nn.utils.clip_grad_norm_`, and returns the norm before clipping (what a training log
/// calls grad_norm).
///
/// PyTorch: total = ||(||g_1||, ..., ||g_n||)||, the norm of all gradients as one vector;
/// clip_coef = maxNorm / (total + 1e-6); if clip_coef < 1 every gradient is multiplied by it.
/// `normType` may be any p >= 1 or `.infinity` (the largest |g|). Parameters without a gradient
/// are skipped. A NaN or infinite norm is returned as is (the caller decides what to do).
@discardableResult
public func clipGradNorm(_ parameters: [Tensor], maxNorm: Float, normType: Float = 2) -> Float {
    if !(normType >= 1) { fail("clipGradNorm: normType must be >= 1 or .infinity (got \(normType))") }
    // BEGIN SOLUTION ex10_1
    let grads = parameters.compactMap(\.grad)
    var total: Double = 0
    for g in grads {
        let p = g.pointer
        if normType == .infinity {
            for j in 0..<g.count { total = Swift.max(total, Double(abs(p[j]))) }
        } else if normType == 2 {
            for j in 0..<g.count { total += Double(p[j]) * Double(p[j]) }
        } else {
            for j in 0..<g.count { total += pow(Double(abs(p[j])), Double(normType)) }
        }
    }
    if normType == 2 { total = total.squareRoot() } else if normType != .infinity { total = pow(total, 1 / Double(normType)) }
    let norm = Float(total)
    let clipCoef = maxNorm / (norm + 1e-6)
    if clipCoef < 1 {
        for g in grads {
            let p = g.pointer
            for j in 0..<g.count { p[j] *= clipCoef }
        }
    }
    return norm
    // END SOLUTION
}
