/// A fully connected layer y = x W^T + b, as `torch.nn.Linear`.
///
/// The weight is stored [out, in] (PyTorch's layout), so the forward multiplies by W^T. The
/// transpose is a flag to BLAS, not a copy, and the bias is added by letting the product
/// accumulate onto rows pre-filled with b: one op, one GEMM, forward and backward.
public final class Linear: Module, LinearLayer {
    public var weight: Tensor        // [out, in]
    public var bias: Tensor?         // [out]
    public let inFeatures: Int
    public let outFeatures: Int

    /// PyTorch's default init (`reset_parameters`): `kaiming_uniform_(a=sqrt(5))` for the weight,
    /// which works out to U(-1/sqrt(in), 1/sqrt(in)), and the same bound for the bias.
    public init(inFeatures: Int, outFeatures: Int, bias: Bool = true, generator: Generator) {
        if inFeatures < 1 || outFeatures < 1 {
            fail("Linear: inFeatures and outFeatures must be at least 1 (got \(inFeatures), \(outFeatures))")
        }
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        let bound = 1 / Float(inFeatures).squareRoot()
        weight = .uniform([outFeatures, inFeatures], low: -bound, high: bound, generator: generator, requiresGrad: true)
        self.bias = bias ? .uniform([outFeatures], low: -bound, high: bound, generator: generator, requiresGrad: true) : nil
        super.init()
    }

    public override func callAsFunction(_ x: Tensor) -> Tensor {
        linear(x, weight: weight, bias: bias)
    }
}

/// y = x W^T + b for x [..., in], W [out, in], b [out], as `torch.nn.functional.linear`.
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    let (n, k) = (weight.shape.first ?? 0, weight.shape.last ?? 0)
    if weight.rank != 2 || x.rank < 1 || x.shape[x.rank - 1] != k {
        fail("linear: input \(show(x.shape)) x weight \(show(weight.shape)): the input's last dimension must equal the weight's in-features (weight is [out, in])")
    }
    if let bias, bias.shape != [n] {
        fail("linear: bias has shape \(show(bias.shape)), expected [\(n)] for weight \(show(weight.shape))")
    }
    let rows = x.count / Swift.max(k, 1)
    let out = Tensor(uninitializedShape: Array(x.shape.dropLast()) + [n])   // [..., in] -> [..., out]
    if let bias {
        for r in 0..<rows { (out.pointer + r * n).update(from: bias.pointer, count: n) }
    }
    Tensor.gemm(false, true, rows, n, k, x.pointer, weight.pointer, out.pointer, beta: bias == nil ? 0 : 1)

    let (xs, w) = (x.detach(), weight.detach())
    let needX = x.requiresGrad, needW = weight.requiresGrad, needB = bias?.requiresGrad ?? false
    out.recordBackward("linear", from: [x, weight] + (bias.map { [$0] } ?? [])) { g in
        var dx: Tensor? = nil, dw: Tensor? = nil, db: Tensor? = nil
        if needX {   // dX = dY W: [rows, out] x [out, in]
            let d = Tensor(uninitializedShape: xs.shape)
            Tensor.gemm(false, false, rows, k, n, g.pointer, w.pointer, d.pointer, beta: 0)
            dx = d
        }
        if needW {   // dW = dY^T X: [out, rows] x [rows, in]
            let d = Tensor(uninitializedShape: w.shape)
            Tensor.gemm(true, false, n, k, rows, g.pointer, xs.pointer, d.pointer, beta: 0)
            dw = d
        }
        if needB {   // db = dY summed over every row
            let d = Tensor.zeros([n])
            let dp = d.pointer
            for r in 0..<rows {
                let gr = g.pointer + r * n
                for j in 0..<n { dp[j] += gr[j] }
            }
            db = d
        }
        return [dx, dw, db]
    }
    return out
}

/// A layer that maps [..., in] -> [..., out]: what a LoRA adapter can wrap.
///
/// PEFT's `lora.Linear` wraps any `base_layer` that behaves like `nn.Linear` (a full-precision
/// `nn.Linear`, a bitsandbytes `Linear4bit`, ...) and only needs its `in_features` and
/// `out_features` to size the adapter. `LoRALinear` asks the same of its base through this
/// protocol, so a full-precision `Linear` and a frozen 4-bit `Linear4bit` can both carry an
/// adapter.
public protocol LinearLayer: Module {
    /// Size of the last input dimension.
    var inFeatures: Int { get }
    /// Size of the last output dimension.
    var outFeatures: Int { get }
    /// The forward pass: x [..., in] -> [..., out].
    func callAsFunction(_ x: Tensor) -> Tensor
}
