/// Ways to make a tensor, named as in PyTorch (`torch.zeros`, `torch.randn`, ...).
extension Tensor {
    public static func full(_ shape: [Int], _ value: Float, requiresGrad: Bool = false) -> Tensor {
        let t = Tensor(uninitializedShape: shape)
        t.pointer.update(repeating: value, count: t.count)
        t.requiresGrad = requiresGrad
        return t
    }

    public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, 0, requiresGrad: requiresGrad)
    }

    public static func ones(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, 1, requiresGrad: requiresGrad)
    }

    /// 0, 1, ..., n-1 (as `torch.arange(n)`), or `start ..< end` by `step`.
    public static func arange(_ start: Float = 0, _ end: Float, step: Float = 1) -> Tensor {
        if step == 0 || (end - start) / step < 0 { fail("arange: cannot go from \(start) to \(end) by \(step)") }
        let n = Int(((end - start) / step).rounded(.up))
        return Tensor((0..<n).map { start + Float($0) * step })
    }

    /// Uniform samples in [low, high), as `torch.empty(shape).uniform_(low, high)`.
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, generator: Generator, requiresGrad: Bool = false) -> Tensor {
        let t = Tensor(uninitializedShape: shape)
        for i in 0..<t.count { t.pointer[i] = generator.uniform(low, high) }
        t.requiresGrad = requiresGrad
        return t
    }

    /// Uniform samples in [0, 1), as `torch.rand`.
    public static func rand(_ shape: [Int], generator: Generator) -> Tensor {
        uniform(shape, generator: generator)
    }

    /// Normal samples, as `torch.empty(shape).normal_(mean, std)`.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, generator: Generator, requiresGrad: Bool = false) -> Tensor {
        let t = Tensor(uninitializedShape: shape)
        for i in 0..<t.count { t.pointer[i] = generator.normal(mean: mean, std: std) }
        t.requiresGrad = requiresGrad
        return t
    }

    /// Standard normal samples, as `torch.randn`.
    public static func randn(_ shape: [Int], generator: Generator, requiresGrad: Bool = false) -> Tensor {
        normal(shape, generator: generator, requiresGrad: requiresGrad)
    }

    /// A copy with its own storage, outside the graph's history but keeping `requiresGrad` off.
    public func clone() -> Tensor {
        let t = Tensor(uninitializedShape: shape)
        t.pointer.update(from: pointer, count: count)
        return t
    }

    /// Same shape, new storage, filled with `value` (`torch.full_like`).
    public func fullLike(_ value: Float) -> Tensor { .full(shape, value) }

    /// Overwrites this tensor's values with `other`'s, in place and outside the graph
    /// (what optimizers and `loadStateDict` do).
    public func copyFrom(_ other: Tensor) {
        if other.shape != shape { fail("copy: shapes \(show(shape)) and \(show(other.shape)) differ") }
        pointer.update(from: other.pointer, count: count)
    }
}
