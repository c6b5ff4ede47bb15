/// What every optimizer offers, as `torch.optim.Optimizer`: a learning rate a schedule can set,
/// the parameters it updates, `step()` and `zeroGrad()`, and per-parameter state.
///
/// State buffers (`exp_avg`, `exp_avg_sq`, `momentum_buffer`) are Tensors, so the memory ledger
/// counts them: Adam's two buffers are why it needs 3x a model's memory before activations.
public protocol Optimizer: AnyObject {
    var learningRate: Float { get set }
    var parameters: [Tensor] { get }
    /// One update from the accumulated `grad`s. Parameters whose grad is nil or that do not
    /// require grad are skipped (and their state is not created).
    func step()
    func zeroGrad()
    /// Bytes held by optimizer state tensors.
    var stateBytes: Int { get }
    /// Per-parameter state, indexed like `parameters` (nil until a parameter's first update),
    /// as `optimizer.state`.
    var state: [ParameterState?] { get set }
}

/// One parameter's optimizer state, as an entry of PyTorch's `optimizer.state[p]`:
/// `step` and named buffers such as "exp_avg", "exp_avg_sq" or "momentum_buffer".
public struct ParameterState {
    public var step: Int
    public var buffers: [String: Tensor]

    public init(step: Int = 0, buffers: [String: Tensor] = [:]) {
        self.step = step
        self.buffers = buffers
    }
}

extension Optimizer {
    /// Forgets every parameter's gradient, as `optimizer.zero_grad()` (set_to_none=True).
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }

    public var stateBytes: Int {
        state.reduce(0) { total, s in
            total + (s?.buffers.values.reduce(0) { $0 + $1.count * MemoryLayout<Float>.stride } ?? 0)
        }
    }

    /// The state as flat named tensors (for a safetensors checkpoint), after PyTorch's
    /// `optimizer.state_dict()`: `state.<index>.step` (a scalar), `state.<index>.<buffer>`, and
    /// `param_groups.0.lr`. The tensors are copies.
    public func stateDict() -> [(String, Tensor)] {
        var result: [(String, Tensor)] = [("param_groups.0.lr", Tensor(scalar: learningRate))]
        for (i, s) in state.enumerated() {
            guard let s else { continue }
            result.append(("state.\(i).step", Tensor(scalar: Float(s.step))))
            for name in s.buffers.keys.sorted() { result.append(("state.\(i).\(name)", s.buffers[name]!.clone())) }
        }
        return result
    }

    /// Restores what `stateDict()` saved, for the same parameters in the same order.
    public func loadStateDict(_ dict: [(String, Tensor)]) {
        var restored = [ParameterState?](repeating: nil, count: parameters.count)
        for (key, t) in dict {
            let parts = key.split(separator: ".").map(String.init)
            if key == "param_groups.0.lr" { learningRate = t.item(); continue }
            guard parts.count == 3, parts[0] == "state", let i = Int(parts[1]) else {
                fail("optimizer loadStateDict: unexpected key \"\(key)\" (expected state.<index>.<name> or param_groups.0.lr)")
            }
            if i < 0 || i >= parameters.count {
                fail("optimizer loadStateDict: \"\(key)\" names parameter \(i), but the optimizer has \(parameters.count) parameters")
            }
            var s = restored[i] ?? ParameterState()
            if parts[2] == "step" {
                s.step = Int(t.item())
            } else {
                if t.shape != parameters[i].shape {
                    fail("optimizer loadStateDict: \(key) has shape \(show(t.shape)), parameter \(i) has \(show(parameters[i].shape))")
                }
                s.buffers[parts[2]] = t.clone()
            }
            restored[i] = s
        }
        state = restored
    }
}

/// The parameters an optimizer may update now: those requiring grad that have a gradient.
func updatable(_ parameters: [Tensor]) -> [(Int, Tensor, Tensor)] {
    parameters.enumerated().compactMap { i, p in
        guard p.requiresGrad, let g = p.grad else { return nil }
        if g.shape != p.shape { fail("optimizer: parameter \(i) has shape \(show(p.shape)) but its grad has \(show(g.shape))") }
        return (i, p, g)
    }
}
