/// The non-linearities as modules, for `Sequential` and `MLP`, as `torch.nn.ReLU` etc.
/// Each holds no parameters and calls the tensor op of the same name.
public final class ReLU: Module {
    public override init() { super.init() }
    public override func callAsFunction(_ x: Tensor) -> Tensor { x.relu() }
}

/// `torch.nn.GELU(approximate=...)`: the exact erf form by default (BERT, RoBERTa).
public final class GELU: Module {
    public let approximate: Tensor.GELUApproximation
    public init(approximate: Tensor.GELUApproximation = .none) {
        self.approximate = approximate
        super.init()
    }
    public override func callAsFunction(_ x: Tensor) -> Tensor { x.gelu(approximate: approximate) }
}

public final class Tanh: Module {
    public override init() { super.init() }
    public override func callAsFunction(_ x: Tensor) -> Tensor { x.tanh() }
}

public final class Sigmoid: Module {
    public override init() { super.init() }
    public override func callAsFunction(_ x: Tensor) -> Tensor { x.sigmoid() }
}
