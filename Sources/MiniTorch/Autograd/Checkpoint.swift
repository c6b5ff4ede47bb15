/// Gradient checkpointing, as `torch.utils.checkpoint.checkpoint(function, x,
/// use_reentrant=False, preserve_rng_state=True)`: run `body` without recording its graph, so
/// its intermediate activations are freed as soon as it returns, and keep only its input. In the
/// backward pass, run `body` again from that input with the graph on, and back-propagate through
/// the recomputed graph. The gradients are the same; the price is a second forward of `body`.
///
/// `parameters` are the trainable tensors `body` reads: they receive their gradients inside the
/// recomputation (a leaf accumulates into `grad` wherever its graph is walked). `generator`, if
/// `body` draws from one (dropout), is rewound to where the first forward began, so the
/// recomputation draws the same masks, and put back afterwards (PyTorch forks the RNG state the
/// same way).
// ANCHOR: checkpoint
public func checkpoint(_ x: Tensor, parameters: [Tensor], generator: Generator? = nil,
                       _ body: @escaping (Tensor) -> Tensor) -> Tensor {
    let trainable = parameters.filter(\.requiresGrad)
    guard Autograd.isEnabled, x.requiresGrad || !trainable.isEmpty else { return body(x) }
    let rng = generator?.rngState
    let out = noGrad { body(x.detach()) }                  // no graph: activations go when body returns
    let (saved, needX) = (x.detach(), x.requiresGrad)
    out.recordBackward("checkpoint", from: [x] + trainable) { g in
        let input = saved.detach()
        input.requiresGrad = needX
        let now = generator?.rngState
        if let rng { generator!.rngState = rng }            // the same dropout masks as the first forward
        let y = Autograd.$isEnabled.withValue(true) { body(input) }   // the graph, this time
        if let now { generator!.rngState = now }            // and the stream goes on as if never rewound (fork_rng)
        y.backward(gradient: g)                              // parameters' grads accumulate here
        return [needX ? input.grad : nil] + trainable.map { _ in nil }
    }
    return out
}
// ANCHOR_END: checkpoint
