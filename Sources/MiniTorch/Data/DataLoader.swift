/// Cuts a data set into mini-batches, as PyTorch's `torch.utils.data.DataLoader`.
///
/// One epoch visits every example exactly once: the indices 0..<N (shuffled when `shuffle`),
/// cut into runs of `batchSize`. The last, shorter batch is kept unless `dropLast`, so
/// 203 examples at batch size 5 give 41 batches, or 40 with `dropLast`.
///
/// The epoch's order depends only on `seed` and the epoch number (not on how many epochs ran
/// before), so a run can resume in the middle and a learner can ask "which examples were in
/// batch 7 of epoch 3?". PyTorch instead draws each epoch's permutation from one running
/// generator; the shuffle itself is the same Fisher-Yates as `torch.randperm`'s idea.
public struct DataLoader<D: Dataset, Element>: Sequence {
    public let dataset: D
    public let batchSize: Int
    public let shuffle: Bool
    public let dropLast: Bool
    public let seed: UInt64
    /// Turns a list of examples into one batch (PyTorch's `collate_fn`).
    public let collate: ([D.Example]) -> Element

    public init(_ dataset: D, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false, seed: Int = 42,
                collate: @escaping ([D.Example]) -> Element) {
        if batchSize < 1 { fail("DataLoader: batch size must be at least 1 (got \(batchSize))") }
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.seed = UInt64(bitPattern: Int64(seed))
        self.collate = collate
    }

    /// Batches per epoch: ceil(N / batchSize), or floor with `dropLast` (PyTorch's `len(loader)`).
    public var count: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// The order in which epoch `epoch` visits the examples.
    public func order(epoch: Int) -> [Int] {
        guard shuffle else { return Array(0..<dataset.count) }
        // One generator per epoch, seeded from (seed, epoch). The odd constant spreads epoch
        // numbers apart so that seed 42's epoch 1 is not seed 43's epoch 0.
        let epochSeed = seed ^ (UInt64(epoch + 1) &* 0xD1B5_4A32_D192_ED03)
        // (Written MiniTorch.Generator because inside a Sequence plain `Generator` means its iterator.)
        return MiniTorch.Generator(seed: epochSeed).permutation(dataset.count)
    }

    /// The example indices of every batch of epoch `epoch`.
    public func batchIndices(epoch: Int) -> [[Int]] {
        let order = order(epoch: epoch)
        return (0..<count).map { b in Array(order[(b * batchSize)..<Swift.min((b + 1) * batchSize, order.count)]) }
    }

    /// The batches of one epoch, built lazily: `for batch in loader.epoch(3) { ... }`.
    /// `fromBatch` skips the first batches, to resume an interrupted epoch.
    public func epoch(_ epoch: Int, fromBatch: Int = 0) -> Epoch {
        Epoch(loader: self, indices: Array(batchIndices(epoch: epoch).dropFirst(fromBatch)))
    }

    /// Iterating the loader itself gives epoch 0; use `epoch(_:)` for the others.
    public func makeIterator() -> Epoch.Iterator { epoch(0).makeIterator() }

    /// One pass over the data set.
    public struct Epoch: Sequence {
        let loader: DataLoader
        public let indices: [[Int]]

        public var count: Int { indices.count }

        public func makeIterator() -> Iterator { Iterator(loader: loader, indices: indices) }

        public struct Iterator: IteratorProtocol {
            let loader: DataLoader
            let indices: [[Int]]
            var position = 0

            public mutating func next() -> Element? {
                guard position < indices.count else { return nil }
                defer { position += 1 }
                return loader.collate(indices[position].map { loader.dataset[$0] })
            }
        }
    }
}

extension DataLoader where D.Example == LabeledExample, Element == Batch {
    /// A loader over a classification data set that stacks examples into `Batch(inputs:labels:)`.
    public init(_ dataset: D, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false, seed: Int = 42) {
        self.init(dataset, batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, seed: seed, collate: Batch.collate)
    }
}
