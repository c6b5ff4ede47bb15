/// A data set is anything with a count and an example at each index, as PyTorch's map-style
/// `torch.utils.data.Dataset` (`__len__` and `__getitem__`). The DataLoader decides the order.
public protocol Dataset {
    associatedtype Example
    var count: Int { get }
    subscript(index: Int) -> Example { get }
}

/// The examples of `base` at `indices`, in that order, as PyTorch's `torch.utils.data.Subset`.
/// A train/validation split is two subsets of one data set (see `trainValidationSplit`).
public struct Subset<Base: Dataset>: Dataset {
    public let base: Base
    public let indices: [Int]

    public init(_ base: Base, indices: [Int]) {
        if let bad = indices.first(where: { $0 < 0 || $0 >= base.count }) {
            fail("Subset: index \(bad) is out of range for a data set of \(base.count) examples")
        }
        self.base = base
        self.indices = indices
    }

    public var count: Int { indices.count }
    public subscript(index: Int) -> Base.Example { base[indices[index]] }
}

extension Dataset {
    /// The examples at `indices`, as Hugging Face's `dataset.select(indices)`.
    public func select(_ indices: [Int]) -> Subset<Self> { Subset(self, indices: indices) }
}
