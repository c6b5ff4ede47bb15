/// Adding and removing axes of size 1: reshapes, so they share storage and copy nothing.
extension Tensor {
    /// A new axis of size 1 at `axis` (0...rank, negative counts from the end), as
    /// `x.unsqueeze(dim)`: [3, 4].unsqueeze(1) -> [3, 1, 4].
    public func unsqueeze(_ axis: Int) -> Tensor {
        let ax = axis < 0 ? axis + rank + 1 : axis
        if ax < 0 || ax > rank { fail("unsqueeze: axis \(axis) is out of range for shape \(show(shape))") }
        var s = shape
        s.insert(1, at: ax)
        return reshape(s)
    }

    /// Removes `axis`, which must have size 1, as `x.squeeze(dim)`: [3, 1, 4] -> [3, 4].
    /// (PyTorch leaves a dimension that is not 1 alone; here that is reported as a mistake.)
    public func squeeze(_ axis: Int) -> Tensor {
        let ax = normalizeAxis(axis, op: "squeeze")
        if shape[ax] != 1 { fail("squeeze: axis \(axis) of \(show(shape)) has size \(shape[ax]), not 1") }
        var s = shape
        s.remove(at: ax)
        return reshape(s)
    }

    /// Removes every axis of size 1, as `x.squeeze()`.
    public func squeeze() -> Tensor { reshape(shape.filter { $0 != 1 }) }
}
