/// GPT-2's fully connected layer, as Hugging Face's `Conv1D` (transformers/pytorch_utils.py):
/// y = x W + b with the weight stored [in, out], the transpose of `nn.Linear`'s [out, in].
///
/// The name is historical (OpenAI's first GPT code wrote its projections as 1x1 convolutions);
/// it is a linear layer. What matters is the layout: GPT-2's checkpoints store every projection
/// [in, out], so `c_attn.weight` of a width-768 model is [768, 2304]. Loading those weights into
/// an `nn.Linear` without transposing them is the classic mistake of porting GPT-2 by hand.
///
/// It is a `LinearLayer` (x [..., in] -> [..., out]), so LoRA can wrap it: an adapter's A [r, in]
/// and B [out, r] do not depend on how the base stores its weight. Only merging does, which PEFT
/// handles with `fan_in_fan_out=True` (the delta B A is transposed before it is added).
public final class Conv1D: Module, LinearLayer {
    public var weight: Tensor   // [in, out]: nx = in, nf = out in Hugging Face's names
    public var bias: Tensor     // [out]
    public var inFeatures: Int { weight.shape[0] }
    public var outFeatures: Int { weight.shape[1] }

    /// Hugging Face's init for the layer itself: weight N(0, 0.02), bias zero.
    public init(nf: Int, nx: Int, std: Float = 0.02, generator: Generator) {
        if nf < 1 || nx < 1 { fail("Conv1D: nf and nx must be at least 1 (got \(nf), \(nx))") }
        weight = .normal([nx, nf], std: std, generator: generator, requiresGrad: true)
        bias = .zeros([nf], requiresGrad: true)
        super.init()
    }

    public override func callAsFunction(_ x: Tensor) -> Tensor {
        conv1D(x, weight: weight, bias: bias)
    }

    /// The same layer as an `nn.Linear` (weight transposed to [out, in], bias copied): what
    /// transformers does to a GPT-2 Conv1D before quantising it to 4 bits.
    public func asLinear() -> Linear {
        let (n, k) = (outFeatures, inFeatures)
        let linear = Linear(inFeatures: k, outFeatures: n, bias: true, generator: Generator(seed: 0))
        let (w, t) = (weight.pointer, linear.weight.pointer)
        for i in 0..<k { for o in 0..<n { t[o * k + i] = w[i * n + o] } }   // [in, out] -> [out, in]
        linear.bias!.pointer.update(from: bias.pointer, count: n)
        return linear
    }
}

/// y = x W + b for x [..., in], W [in, out], b [out]: `torch.addmm(b, x.view(-1, in), W)`.
public func conv1D(_ x: Tensor, weight: Tensor, bias: Tensor) -> Tensor {
    let (k, n) = (weight.shape.first ?? 0, weight.shape.last ?? 0)
    if weight.rank != 2 || x.rank < 1 || x.shape[x.rank - 1] != k || bias.shape != [n] {
        fail("conv1D: input \(show(x.shape)), weight \(show(weight.shape)), bias \(show(bias.shape)): the input's last dimension must equal the weight's first (Conv1D weights are [in, out]) and the bias must be [out]")
    }
    let rows = x.count / k
    let out = Tensor(uninitializedShape: Array(x.shape.dropLast()) + [n])   // [..., in] -> [..., out]
    for r in 0..<rows { (out.pointer + r * n).update(from: bias.pointer, count: n) }
    Tensor.gemm(false, false, rows, n, k, x.pointer, weight.pointer, out.pointer, beta: 1)

    let (xs, w) = (x.detach(), weight.detach())
    let needX = x.requiresGrad, needW = weight.requiresGrad, needB = bias.requiresGrad
    out.recordBackward("conv1d", from: [x, weight, bias]) { g in
        var dx: Tensor? = nil, dw: Tensor? = nil, db: Tensor? = nil
        if needX {   // dX = dY W^T: [rows, out] x [out, in]
            let d = Tensor(uninitializedShape: xs.shape)
            Tensor.gemm(false, true, rows, k, n, g.pointer, w.pointer, d.pointer, beta: 0)
            dx = d
        }
        if needW {   // dW = X^T dY: [in, rows] x [rows, out]
            let d = Tensor(uninitializedShape: w.shape)
            Tensor.gemm(true, false, k, n, rows, xs.pointer, g.pointer, d.pointer, beta: 0)
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
