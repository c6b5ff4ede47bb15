/// Several optimizers acting as one, as the `param_groups` of one PyTorch optimizer: the
/// Trainer gives weight decay to one group of parameters and not to the other.
public final class ParameterGroups: Optimizer {
    public let groups: [Optimizer]

    public init(_ groups: [Optimizer]) { self.groups = groups }

    /// One learning rate for all groups (a schedule sets it before each step).
    public var learningRate: Float {
        get { groups.first?.learningRate ?? 0 }
        set { for g in groups { g.learningRate = newValue } }
    }

    public var parameters: [Tensor] { groups.flatMap(\.parameters) }

    public func step() { for g in groups { g.step() } }

    public var state: [ParameterState?] {
        get { groups.flatMap(\.state) }
        set {
            var start = 0
            for g in groups {
                g.state = Array(newValue[start..<(start + g.parameters.count)])
                start += g.parameters.count
            }
        }
    }
}

/// The names of the parameters that get weight decay, as Hugging Face's
/// `Trainer.get_decay_parameter_names`: every parameter except those inside a `LayerNorm` and
/// those whose lower-cased name contains "bias", "layernorm" or "rmsnorm". Decaying a bias or a
/// LayerNorm gain only pulls it towards 0, which regularises nothing useful.
public func decayParameterNames(_ model: Module) -> Set<String> {
    let normPaths = model.namedModules().filter { $0.1 is LayerNorm }.map(\.0)
    let excludedWords = ["bias", "layernorm", "rmsnorm"]
    return Set(model.namedParameters().map(\.0).filter { name in
        let insideNorm = normPaths.contains { $0.isEmpty || name.hasPrefix($0 + ".") }
        return !insideNorm && !excludedWords.contains { name.lowercased().contains($0) }
    })
}
