/// Limiting values: clamp to a range, and the element-wise maximum / minimum of two tensors.
extension Tensor {
    /// Each element limited to [min, max] (either bound optional), as `torch.clamp(x, min, max)`.
    /// The gradient passes where min <= x <= max and is 0 where the bound took over (PyTorch).
    public func clamp(min low: Float? = nil, max high: Float? = nil) -> Tensor {
        if let low, let high, low > high { fail("clamp: min \(low) is greater than max \(high)") }
        let lo = low ?? -Float.infinity, hi = high ?? Float.infinity
        let out = map { Swift.min(Swift.max($0, lo), hi) }
        let x = detach()
        out.recordBackward("clamp", from: [self]) { g in
            [g.zipBroadcast(x, op: "clamp backward") { g, x in x >= lo && x <= hi ? g : 0 }]
        }
        return out
    }

    /// The larger of each pair of elements, with broadcasting, as `torch.maximum`.
    /// On ties the gradient is split evenly, as PyTorch does.
    public func maximum(_ other: Tensor) -> Tensor { pick(other, name: "maximum", larger: true) }

    /// The smaller of each pair of elements, with broadcasting, as `torch.minimum`.
    public func minimum(_ other: Tensor) -> Tensor { pick(other, name: "minimum", larger: false) }

    private func pick(_ other: Tensor, name: String, larger: Bool) -> Tensor {
        let out = zipBroadcast(other, op: name) { a, b in larger ? Swift.max(a, b) : Swift.min(a, b) }
        let (a, b) = (detach(), other.detach())
        let (needA, needB) = (requiresGrad, other.requiresGrad)
        out.recordBackward(name, from: [self, other]) { g in
            // Weight of `a` in the result: 1 where a wins, 0.5 on a tie, 0 where b wins.
            let wa = a.zipBroadcast(b, op: name) { a, b in a == b ? 0.5 : ((a > b) == larger ? 1 : 0) }
            return [needA ? (g * wa).sumTo(a.shape) : nil,
                    needB ? (g * (1 - wa)).sumTo(b.shape) : nil]
        }
        return out
    }
}
