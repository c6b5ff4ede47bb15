/// One recorded operation: the tensors it read and how to send a gradient back to them.
public final class Node {
    public let name: String
    let inputs: [Tensor]
    /// Given dLoss/dOutput, returns dLoss/dInput for each input (nil where none is needed).
    let backward: (Tensor) -> [Tensor?]

    init(name: String, inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) {
        self.name = name
        self.inputs = inputs
        self.backward = backward
    }
}

/// Whether ops record the graph. Task-local so parallel tests and threads do not interfere.
public enum Autograd {
    @TaskLocal public static var isEnabled = true
}

/// Runs `body` without recording a graph, as `with torch.no_grad():` (evaluation, optimizer steps).
@discardableResult
public func noGrad<T>(_ body: () throws -> T) rethrows -> T {
    try Autograd.$isEnabled.withValue(false) { try body() }
}

extension Tensor {
    /// Records how `self` was computed from `inputs`, if any of them needs a gradient.
    ///
    /// The closure must not capture `self` (that would make a reference cycle); capture
    /// `detach()`ed views or plain values instead.
    public func recordBackward(_ name: String, from inputs: [Tensor], _ backward: @escaping (Tensor) -> [Tensor?]) {
        // The cheap test first: the task-local lookup costs more than scanning two flags.
        guard inputs.contains(where: { $0.requiresGrad }), Autograd.isEnabled else { return }
        requiresGrad = true
        gradFn = Node(name: name, inputs: inputs, backward: backward)
    }

    /// A tensor sharing this one's storage but cut from the graph, as `tensor.detach()`.
    public func detach() -> Tensor { Tensor(storage: storage, shape: shape) }

    /// Back-propagates from this tensor, as `loss.backward()`. Without `gradient` the tensor must
    /// hold one element and the seed gradient is 1. Leaf tensors with `requiresGrad` add the
    /// result to their `grad`.
    public func backward(gradient: Tensor? = nil) {
        if !requiresGrad { fail("backward(): this tensor does not require grad (was it computed under noGrad, or from tensors without requiresGrad?)") }
        if gradient == nil && count != 1 {
            fail("backward(): called on a tensor of shape \(show(shape)); pass a gradient or reduce to a scalar first (e.g. .mean())")
        }
        let seed = gradient ?? Tensor.ones(shape)
        noGrad {
            // Topological order: every node after all the nodes that consume its output.
            var order: [Tensor] = []
            var visited = Set<ObjectIdentifier>()
            var stack: [(Tensor, Bool)] = [(self, false)]
            while let (t, expanded) = stack.popLast() {
                if expanded { order.append(t); continue }
                guard visited.insert(ObjectIdentifier(t)).inserted else { continue }
                stack.append((t, true))
                for input in t.gradFn?.inputs ?? [] where input.requiresGrad && !visited.contains(ObjectIdentifier(input)) {
                    stack.append((input, false))
                }
            }
            var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
            for t in order.reversed() {
                guard let g = grads.removeValue(forKey: ObjectIdentifier(t)) else { continue }
                guard let node = t.gradFn else {
                    t.accumulateGrad(g)
                    continue
                }
                let inputGrads = node.backward(g)
                for (input, ig) in zip(node.inputs, inputGrads) {
                    guard input.requiresGrad, let ig else { continue }
                    if ig.shape != input.shape {
                        fail("autograd: \(node.name) returned a gradient of shape \(show(ig.shape)) for an input of shape \(show(input.shape))")
                    }
                    let key = ObjectIdentifier(input)
                    grads[key] = grads[key].map { $0 + ig } ?? ig
                }
            }
        }
    }

    /// Adds `g` into `grad` (gradients accumulate until `zeroGrad()`, as in PyTorch).
    func accumulateGrad(_ g: Tensor) {
        if let grad {
            let d = grad.pointer, s = g.pointer
            for i in 0..<count { d[i] += s[i] }
        } else {
            grad = g.clone()   // own copy: `g` may be shared with other gradients
        }
    }

    /// Forgets the accumulated gradient, as `tensor.grad = None`.
    public func zeroGrad() { grad = nil }
}
