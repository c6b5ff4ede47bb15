extension Tensor {
    /// |x| element-wise, as `torch.abs`. The gradient is sign(x), taken as 0 at x = 0 (PyTorch's
    /// `sgn`).
    public func abs() -> Tensor {
        let out = map { Swift.abs($0) }
        let x = detach()
        out.recordBackward("abs", from: [self]) { g in
            [g.zipBroadcast(x, op: "abs backward") { g, x in x > 0 ? g : (x < 0 ? -g : 0) }]
        }
        return out
    }
}
