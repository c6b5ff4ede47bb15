import Foundation
import GPTPretraining
import MiniTorch

/// The training set as a map-style dataset for the sampler: the training tokens cut into
/// non-overlapping windows of T + 1 tokens (inputs the first T, targets the last T). Lesson 13
/// drew random windows; an epoch over fixed windows is what `DistributedSampler` shards.
public struct WindowDataset: Sendable {
    public let ids: [Int]
    public let context: Int
    public init(_ ids: [Int], context: Int) { (self.ids, self.context) = (ids, context) }

    public var count: Int { (ids.count - 1) / context }

    /// Windows `indices` as one batch [indices.count, T].
    public func batch(_ indices: [Int]) -> GPTPretraining.Batch {
        var inputs: [Int] = [], targets: [Int] = []
        for i in indices {
            inputs += ids[(i * context)..<((i + 1) * context)]
            targets += ids[(i * context + 1)..<((i + 1) * context + 1)]
        }
        return GPTPretraining.Batch(inputs: inputs, targets: targets, shape: [indices.count, context])
    }
}

/// A rank's stream of micro-batches: its shard of each epoch, `batchSize` windows at a time,
/// a new epoch (`setEpoch`) when the shard runs out, as a training loop over a DataLoader with a
/// DistributedSampler does (the shard's tail that fills no whole batch is skipped, as a
/// DataLoader with drop_last=True).
public struct ShardedBatches {
    public let dataset: WindowDataset
    public private(set) var sampler: DistributedSampler
    public let batchSize: Int
    private var shard: [Int]
    private var position = 0

    public init(_ dataset: WindowDataset, rank: Int, worldSize: Int, batchSize: Int, seed: Int) {
        self.dataset = dataset
        // ANCHOR: sampler
        // BEGIN SOLUTION ex15_4
        sampler = DistributedSampler(count: dataset.count, numReplicas: worldSize, rank: rank, shuffle: true, seed: seed)
        // END SOLUTION
        // ANCHOR_END: sampler
        self.batchSize = batchSize
        shard = sampler.indices()
    }

    public mutating func next() -> GPTPretraining.Batch {
        if position + batchSize > shard.count {
            sampler.setEpoch(sampler.epoch + 1)
            shard = sampler.indices()
            position = 0
        }
        defer { position += batchSize }
        return dataset.batch(Array(shard[position..<(position + batchSize)]))
    }
}
