/// Element-wise comparisons giving 1 where true and 0 where false, as PyTorch's `eq`, `gt`, ...
/// (which return bool tensors; here Float 0/1, ready to use as a mask or to multiply with).
/// They are steps, flat almost everywhere, so they record no gradient.
extension Tensor {
    public func eq(_ other: Tensor) -> Tensor { zipBroadcast(other, op: "eq") { $0 == $1 ? 1 : 0 } }
    public func gt(_ other: Tensor) -> Tensor { zipBroadcast(other, op: "gt") { $0 > $1 ? 1 : 0 } }
    public func lt(_ other: Tensor) -> Tensor { zipBroadcast(other, op: "lt") { $0 < $1 ? 1 : 0 } }
    public func ge(_ other: Tensor) -> Tensor { zipBroadcast(other, op: "ge") { $0 >= $1 ? 1 : 0 } }
    public func le(_ other: Tensor) -> Tensor { zipBroadcast(other, op: "le") { $0 <= $1 ? 1 : 0 } }

    public func eq(_ s: Float) -> Tensor { map { $0 == s ? 1 : 0 } }
    public func gt(_ s: Float) -> Tensor { map { $0 > s ? 1 : 0 } }
    public func lt(_ s: Float) -> Tensor { map { $0 < s ? 1 : 0 } }
    public func ge(_ s: Float) -> Tensor { map { $0 >= s ? 1 : 0 } }
    public func le(_ s: Float) -> Tensor { map { $0 <= s ? 1 : 0 } }
}
