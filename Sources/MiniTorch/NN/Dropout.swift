/// Inverted dropout, as `torch.nn.Dropout(p)`: in training mode each element is zeroed with
/// probability p and the survivors are scaled by 1/(1-p), so the expected value is unchanged
/// and evaluation needs no rescaling. In eval mode (or with p = 0) it is the identity.
public final class Dropout: Module {
    public let p: Float
    /// Where the masks come from; share the model's generator to keep runs reproducible.
    public let generator: Generator

    public init(p: Float = 0.5, generator: Generator) {
        if !(p >= 0 && p <= 1) { fail("Dropout: p must be in [0, 1] (got \(p))") }
        self.p = p
        self.generator = generator
        super.init()
    }

    public override func callAsFunction(_ x: Tensor) -> Tensor {
        if !training || p == 0 { return x }
        // One draw per element: keep with probability 1 - p, as bernoulli_(1 - p).
        let mask = Tensor(uninitializedShape: x.shape)   // 0 or 1/(1-p); the backward reuses it
        let keep = 1 - p, scale: Float = p == 1 ? 0 : 1 / (1 - p)
        let mp = mask.pointer
        for i in 0..<mask.count { mp[i] = generator.uniform() < keep ? scale : 0 }
        let out = Tensor(uninitializedShape: x.shape)
        let op = out.pointer, xp = x.pointer
        for i in 0..<out.count { op[i] = xp[i] * mp[i] }
        out.recordBackward("dropout", from: [x]) { g in
            let d = Tensor(uninitializedShape: g.shape)
            let dp = d.pointer, gp = g.pointer, mp = mask.pointer   // the closure keeps `mask` alive
            for i in 0..<d.count { dp[i] = gp[i] * mp[i] }
            return [d]
        }
        return out
    }
}
