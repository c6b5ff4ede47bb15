/// Central finite differences against autograd, as `torch.autograd.gradcheck`.
///
/// For each input element x_i: (f(x + eps) - f(x - eps)) / (2 eps) should equal the gradient
/// backward() computed. In Float32 the difference quotient carries rounding error of about
/// 1e-7 * |f| / eps, hence the loose default tolerances.
public struct GradCheckResult: CustomStringConvertible {
    /// The worst |analytic - numeric| over all checked elements and where it happened.
    public var maxError: Float = 0
    public var worst = ""
    public var passed = true
    public var description: String { passed ? "ok (max error \(maxError))" : "FAILED at \(worst) (error \(maxError))" }
}

/// Checks `f`'s gradient with respect to every element of every input that requires grad.
/// `f` must return a scalar (or any tensor: it is summed with fixed random weights so that every
/// output element matters).
public func gradCheck(_ inputs: [Tensor], eps: Float = 1e-2, atol: Float = 1e-2, rtol: Float = 1e-2,
                      _ f: ([Tensor]) -> Tensor) -> GradCheckResult {
    let probe = f(inputs)
    let weights = noGrad { Tensor.uniform(probe.shape, low: 0.5, high: 1.5, generator: Generator(seed: 7)) }
    func scalar() -> Tensor { let y = f(inputs); return y.count == 1 ? y.sum() : (y * weights).sum() }

    for x in inputs { x.zeroGrad() }
    scalar().backward()
    var result = GradCheckResult()
    for (n, x) in inputs.enumerated() where x.requiresGrad {
        let analytic = x.grad?.scalars ?? [Float](repeating: 0, count: x.count)
        for i in 0..<x.count {
            let saved = x.pointer[i]
            x.pointer[i] = saved + eps
            let plus = noGrad { scalar().item() }
            x.pointer[i] = saved - eps
            let minus = noGrad { scalar().item() }
            x.pointer[i] = saved
            let numeric = (plus - minus) / (2 * eps)
            let error = abs(analytic[i] - numeric)
            if error > result.maxError { result.maxError = error; result.worst = "input \(n) element \(i): analytic \(analytic[i]), numeric \(numeric)" }
            if !(error <= atol + rtol * abs(numeric)) {
                result.passed = false
            }
        }
    }
    for x in inputs { x.zeroGrad() }
    return result
}
