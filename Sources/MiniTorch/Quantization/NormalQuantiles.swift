import Foundation

/// Where NF4's 16 values come from: quantiles of the standard normal distribution.
///
/// bitsandbytes `create_normal_map(offset=0.9677083, use_extra_value=True)`
/// (bitsandbytes/functional.py), which `get_4bit_type("nf4")` stores precomputed:
///
///     positive = Phi^-1(p) for 8 probabilities p evenly spaced from 0.9677083 down to 0.5 (0.5 left out)
///     negative = -Phi^-1(p) for 7 probabilities evenly spaced from 0.9677083 down to 0.5 (0.5 left out)
///     values   = sorted(negative + [0] + positive) / the largest
///
/// Equal steps in probability make every code cover the same share of a normal distribution, so
/// none is wasted on values that rarely occur. The end point 0.9677083 keeps the outermost
/// quantile finite (Phi^-1(1) is infinite). Taking one more quantile on the positive side gives
/// an exact 0 with 16 codes.
public func normalFloatCodebook(offset: Double = 0.9677083) -> [Float] {
    func probabilities(_ count: Int) -> [Double] {   // torch.linspace(offset, 0.5, count + 1)[:-1]
        (0..<count).map { offset + (0.5 - offset) * Double($0) / Double(count) }
    }
    let positive = probabilities(8).map(normalQuantile)
    let negative = probabilities(7).map { -normalQuantile($0) }
    let values = (negative + [0] + positive).sorted()
    let largest = values.last!
    return values.map { Float($0 / largest) }
}

/// Phi^-1(p), the standard normal quantile (scipy's `norm.ppf`): Acklam's rational approximation
/// (relative error 1.15e-9) refined by one Halley step on Phi(x) = erfc(-x / sqrt 2) / 2.
public func normalQuantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1, "normalQuantile: p must be in (0, 1) (got \(p))")
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
             6.680131188771972e+01, -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let low = 0.02425
    var x: Double
    if p < low {
        let q = (-2 * log(p)).squareRoot()
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else if p <= 1 - low {
        let q = p - 0.5, r = q * q
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    } else {
        let q = (-2 * log(1 - p)).squareRoot()
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
    let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
    return x - u / (1 + x * u / 2)
}
