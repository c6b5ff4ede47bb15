/// A frozen linear layer whose weight is stored in 4 bits, as bitsandbytes `nn.Linear4bit`.
///
/// The weight [out, in] is kept only as packed 4-bit codes plus block constants
/// (`Quantized4bit`). Each forward dequantises it to Float32, multiplies, and lets the Float32
/// copy go; the backward dequantises again (bitsandbytes `MatMul4Bit.backward` does the same)
/// instead of keeping a full-precision weight alive between the two passes. The weight is never
/// trained, so the backward computes only dL/dx = dL/dy W, the gradient QLoRA sends "through
/// the frozen 4-bit model into the adapters"; a bias, if it is made trainable, gets its own.
public final class Linear4bit: Module, LinearLayer {
    public let weight: Quantized4bit   // [out, in] in 4 bits: not a Tensor, so never a parameter
    public var bias: Tensor?           // [out], full precision, frozen unless asked otherwise
    public let inFeatures: Int
    public let outFeatures: Int

    /// Quantises `linear`'s weight (bitsandbytes converts a model's `nn.Linear` layers this way
    /// when `load_in_4bit=True`). The bias is copied and frozen.
    public init(_ linear: Linear, quantType: QuantType = .nf4, blockSize: Int = 64, compressStatistics: Bool = true) {
        weight = quantize4bit(linear.weight, quantType: quantType, blockSize: blockSize, compressStatistics: compressStatistics)
        bias = linear.bias?.clone()
        inFeatures = linear.inFeatures
        outFeatures = linear.outFeatures
        super.init()
    }

    public override func callAsFunction(_ x: Tensor) -> Tensor {
        matmul4bit(x, weight: weight, bias: bias)
    }

    /// Bytes this layer holds: 4-bit weight with its constants, plus the bias.
    public var storageBytes: Int { weight.storageBytes + (bias?.count ?? 0) * MemoryLayout<Float>.stride }
}

/// y = x W^T + b with W held in 4 bits, as bitsandbytes `matmul_4bit` (autograd `MatMul4Bit`).
// ANCHOR: matmul4bit
public func matmul4bit(_ x: Tensor, weight: Quantized4bit, bias: Tensor?) -> Tensor {
    let (n, k) = (weight.shape[0], weight.shape[1])
    if x.rank < 1 || x.shape[x.rank - 1] != k {
        fail("matmul4bit: input \(show(x.shape)) x weight \(show(weight.shape)): the input's last dimension must equal the weight's in-features (weight is [out, in])")
    }
    let rows = x.count / Swift.max(k, 1)
    let out = Tensor(uninitializedShape: Array(x.shape.dropLast()) + [n])   // [..., in] -> [..., out]
    if let bias {
        for r in 0..<rows { (out.pointer + r * n).update(from: bias.pointer, count: n) }
    }
    do {
        let w = weight.dequantize()                                          // [out, in], Float32 for this product only
        Tensor.gemm(false, true, rows, n, k, x.pointer, w.pointer, out.pointer, beta: bias == nil ? 0 : 1)
    }
    let needX = x.requiresGrad, needB = bias?.requiresGrad ?? false
    out.recordBackward("matmul4bit", from: [x] + (bias.map { [$0] } ?? [])) { g in
        var dx: Tensor? = nil, db: Tensor? = nil
        if needX {   // dX = dY W: [rows, out] x [out, in], W dequantised again
            let w = weight.dequantize()
            let d = Tensor(uninitializedShape: Array(g.shape.dropLast()) + [k])
            Tensor.gemm(false, false, rows, k, n, g.pointer, w.pointer, d.pointer, beta: 0)
            dx = d
        }
        if needB {   // db = dY summed over every row
            let d = Tensor.zeros([n])
            for r in 0..<rows {
                let gr = g.pointer + r * n
                for j in 0..<n { d.pointer[j] += gr[j] }
            }
            db = d
        }
        return [dx, db]
    }
    return out
}
// ANCHOR_END: matmul4bit
