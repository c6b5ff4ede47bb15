/// Features and class labels held in memory, as PyTorch's `TensorDataset(x, y)` for a classifier.
///
/// `features` is [N, ...]: row i is example i. Each example comes out as its own [...] tensor
/// (a copy of one row), and `Batch.collate` stacks a list of them back into [B, ...].
public struct TensorDataset: Dataset {
    public let features: Tensor     // [N, ...]
    public let labels: [Int]        // [N]

    public init(features: Tensor, labels: [Int]) {
        if features.rank == 0 || features.shape[0] != labels.count {
            fail("TensorDataset: features of shape \(show(features.shape)) need one label per row, got \(labels.count) labels")
        }
        self.features = features
        self.labels = labels
    }

    /// From rows of numbers: `TensorDataset(features: [[0.1, 2.0], [1.5, -0.3]], labels: [0, 1])`.
    public init(features rows: [[Float]], labels: [Int]) {
        self.init(features: Tensor(rows: rows), labels: labels)
    }

    public var count: Int { labels.count }

    /// The shape of one example's features (the rows' shape without the leading N).
    public var featureShape: [Int] { Array(features.shape.dropFirst()) }

    /// How many classes the labels name (largest label + 1).
    public var numClasses: Int { (labels.max() ?? -1) + 1 }

    public subscript(index: Int) -> LabeledExample {
        if index < 0 || index >= count { fail("TensorDataset: index \(index) is out of range for \(count) examples") }
        let size = features.count / Swift.max(count, 1)
        let row = Tensor(uninitializedShape: featureShape)     // [N, ...] -> [...]
        row.pointer.update(from: features.pointer + index * size, count: size)
        return LabeledExample(features: row, label: labels[index])
    }
}

/// One example of a classification data set: its features and its class.
public struct LabeledExample {
    public let features: Tensor     // [...]
    public let label: Int

    public init(features: Tensor, label: Int) {
        self.features = features
        self.label = label
    }
}
