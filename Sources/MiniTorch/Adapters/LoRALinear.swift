/// A low-rank adapter around a frozen linear layer, as PEFT's `lora.Linear` (Hu et al. 2021,
/// "LoRA: Low-Rank Adaptation of Large Language Models"):
///
///     h = base(x) + (dropout(x) A^T B^T) * alpha / r          A [r, in], B [out, r]
///
/// The update a full fine-tune would make to W [out, in] is replaced by the product B A of two
/// thin matrices: r x (in + out) numbers instead of in x out. B starts at zero, so at step 0
/// the adapter adds exactly nothing and training starts from the pretrained model itself; A is
/// random, so B's gradient (which is proportional to A x) is not zero and learning can start.
/// alpha / r keeps the update's size roughly independent of r: double the rank and each of the
/// r directions is scaled by half.
///
/// The children are named as PEFT names them, so a parameter reads
/// `...query.base_layer.weight`, `...query.lora_A.weight`, `...query.lora_B.weight`. (PEFT keeps a
/// dictionary of named adapters in memory, `lora_A.default.weight`, and drops the adapter name
/// when it saves; with one adapter per layer we use the saved form throughout.)
public final class LoRALinear: Module, LinearLayer {
    /// The wrapped layer (a `Linear`, or any layer mapping [..., in] -> [..., out], such as a
    /// 4-bit one); frozen by `getPeftModel`.
    public let base_layer: any LinearLayer
    public let lora_dropout: Dropout
    public let lora_A: Linear          // weight [r, in], no bias
    public let lora_B: Linear          // weight [out, r], no bias
    public let r: Int
    public let loraAlpha: Float
    /// alpha / r (or alpha / sqrt(r) with rsLoRA), PEFT's `scaling`.
    public let scaling: Float
    /// True while B A * scaling is folded into the base weight (the adapter branch is then skipped).
    public private(set) var merged = false

    public var inFeatures: Int { base_layer.inFeatures }
    public var outFeatures: Int { base_layer.outFeatures }

    /// PEFT `reset_lora_parameters` (init_lora_weights=True): A as `nn.Linear`'s default,
    /// `kaiming_uniform_(a=sqrt(5))`, which is U(-1/sqrt(in), 1/sqrt(in)); B zeros.
    public init(base: any LinearLayer, r: Int, loraAlpha: Float, loraDropout: Float = 0, useRslora: Bool = false,
                generator: Generator) {
        if r < 1 { fail("LoRALinear: r must be at least 1 (got \(r))") }
        if !(loraDropout >= 0 && loraDropout < 1) { fail("LoRALinear: loraDropout must be in [0, 1) (got \(loraDropout))") }
        base_layer = base
        lora_dropout = Dropout(p: loraDropout, generator: generator)
        lora_A = Linear(inFeatures: base.inFeatures, outFeatures: r, bias: false, generator: generator)
        lora_B = Linear(inFeatures: r, outFeatures: base.outFeatures, bias: false, generator: generator)
        lora_B.weight.copyFrom(.zeros([base.outFeatures, r]))
        self.r = r
        self.loraAlpha = loraAlpha
        scaling = useRslora ? rsloraScaling(loraAlpha: loraAlpha, r: r) : loraScaling(loraAlpha: loraAlpha, r: r)
        super.init()
    }

    // ANCHOR: forward
    public override func callAsFunction(_ x: Tensor) -> Tensor {
        let result = base_layer(x)                                   // [..., in] -> [..., out]
        if merged { return result }                                  // B A is inside the base weight
        // BEGIN SOLUTION ex07_1
        let update = lora_B(lora_A(lora_dropout(x)))                 // [..., in] -> [..., r] -> [..., out]
        return result + update * scaling
        // END SOLUTION
    }
    // ANCHOR_END: forward

    /// The update this adapter makes to the base weight, B A * alpha / r [out, in], as PEFT's
    /// `get_delta_weight`. Its rank is at most r.
    public func deltaWeight() -> Tensor {
        let (out, n) = (outFeatures, inFeatures)
        let delta = Tensor(uninitializedShape: [out, n])
        // BEGIN SOLUTION ex07_2
        // [out, r] x [r, in] -> [out, in]
        Tensor.gemm(false, false, out, n, r, lora_B.weight.pointer, lora_A.weight.pointer, delta.pointer, beta: 0)
        let d = delta.pointer
        for i in 0..<delta.count { d[i] *= scaling }
        // END SOLUTION
        return delta
    }

    /// Folds the adapter into the base weight, W += B A * alpha / r, so inference costs one
    /// matrix multiply again. Needs a full-precision `Linear` or `Conv1D` base (the latter
    /// stores W^T, so the delta goes in transposed). A second merge does nothing.
    public func merge() {
        if merged { return }
        addToBaseWeight(deltaWeight(), sign: 1)
        merged = true
    }

    /// Takes the adapter back out, W -= B A * alpha / r (exact up to float rounding).
    public func unmerge() {
        if !merged { return }
        addToBaseWeight(deltaWeight(), sign: -1)
        merged = false
    }

    private func addToBaseWeight(_ delta: Tensor, sign: Float) {
        if let conv = base_layer as? Conv1D {   // PEFT's fan_in_fan_out=True: W [in, out] += (B A)^T
            let (out, n) = (outFeatures, inFeatures)
            let w = conv.weight.pointer, d = delta.pointer
            for o in 0..<out { for i in 0..<n { w[i * out + o] += sign * d[o * n + i] } }
            return
        }
        guard let linear = base_layer as? Linear else {
            fail("LoRALinear.merge: the base layer is a \(type(of: base_layer)), which has no full-precision weight to merge into (merge needs a Linear base)")
        }
        let w = linear.weight.pointer, d = delta.pointer
        // BEGIN SOLUTION ex07_2
        for i in 0..<delta.count { w[i] += sign * d[i] }
        // END SOLUTION
    }
}
