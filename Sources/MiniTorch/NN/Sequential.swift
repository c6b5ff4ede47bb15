/// Modules applied one after another, as `torch.nn.Sequential`. Children are named by position
/// ("0.weight", "2.bias"), as PyTorch names them.
public class Sequential: Module {
    /// The layers in order. (The leading underscore asks `Module` to name them "0", "1", ...)
    public var _modules: [Module]

    public init(_ layers: [Module]) {
        _modules = layers
        super.init()
    }

    public var layers: [Module] { _modules }
    public subscript(index: Int) -> Module { _modules[index] }
    public var count: Int { _modules.count }

    public override func callAsFunction(_ x: Tensor) -> Tensor {
        _modules.reduce(x) { h, layer in layer(h) }
    }

    /// Layers are replaced by position ("0", "2"), as `seq[0] = new` in PyTorch.
    public override func replaceChild(_ name: String, with module: Module) -> Bool {
        guard let i = Int(name), _modules.indices.contains(i) else { return false }
        _modules[i] = module
        return true
    }
}

/// A multi-layer perceptron: Linear -> activation -> (Dropout) for each hidden layer, then a final
/// Linear giving raw scores (logits). `MLP(sizes: [2, 16, 2])` is a 2-in, 2-class classifier with
/// one hidden layer of 16, the model of the early lessons.
public final class MLP: Sequential {
    public enum Activation: String, Sendable { case relu, gelu, tanh }

    public init(sizes: [Int], activation: Activation = .relu, dropout: Float = 0, generator: Generator) {
        if sizes.count < 2 { fail("MLP: sizes needs at least an input and an output size (got \(sizes))") }
        var layers: [Module] = []
        for i in 0..<(sizes.count - 1) {
            layers.append(Linear(inFeatures: sizes[i], outFeatures: sizes[i + 1], generator: generator))   // [.., s_i] -> [.., s_i+1]
            if i < sizes.count - 2 {
                switch activation {
                case .relu: layers.append(ReLU())
                case .gelu: layers.append(GELU())
                case .tanh: layers.append(Tanh())
                }
                if dropout > 0 { layers.append(Dropout(p: dropout, generator: generator)) }
            }
        }
        super.init(layers)
    }
}
