/// A mini-batch for a classifier: inputs stacked along a new first axis, one label per row.
public struct Batch {
    public let inputs: Tensor       // [B, ...]
    public let labels: [Int]        // [B]

    public init(inputs: Tensor, labels: [Int]) {
        self.inputs = inputs
        self.labels = labels
    }

    public var count: Int { labels.count }

    /// The default collate function, as PyTorch's `default_collate`: stacks [...] feature
    /// tensors into [B, ...] and gathers the labels.
    public static func collate(_ examples: [LabeledExample]) -> Batch {
        guard let first = examples.first else { fail("Batch.collate: no examples to stack") }
        let shape = first.features.shape
        let size = first.features.count
        let inputs = Tensor(uninitializedShape: [examples.count] + shape)   // B x [...] -> [B, ...]
        for (i, example) in examples.enumerated() {
            if example.features.shape != shape {
                fail("Batch.collate: example \(i) has shape \(show(example.features.shape)), the first has \(show(shape))")
            }
            (inputs.pointer + i * size).update(from: example.features.pointer, count: size)
        }
        return Batch(inputs: inputs, labels: examples.map(\.label))
    }
}
