import Foundation

/// Which samples of a dataset one rank reads in one epoch, as `torch.utils.data.DistributedSampler`.
///
/// PyTorch's `__iter__` (torch/utils/data/distributed.py):
///
///     g.manual_seed(seed + epoch); indices = randperm(n, generator=g)   if shuffle, else range(n)
///     if not drop_last: indices += indices[:total_size - n]             pad by repeating the start
///     else:             indices = indices[:total_size]                  drop the tail
///     return indices[rank : total_size : num_replicas]                  every num_replicas-th
///
/// with num_samples = ceil(n / num_replicas) (drop_last: ceil((n - num_replicas) / num_replicas))
/// and total_size = num_samples * num_replicas. Every rank shuffles with the same seed, so the
/// ranks' shards are disjoint pieces of one permutation; `setEpoch` reseeds, as `set_epoch` must
/// be called each epoch or every epoch repeats the first one's order. The permutation is
/// MiniTorch's (`Generator.permutation`), not the bits of `torch.randperm`.
public struct DistributedSampler: Sendable {
    public let count: Int
    public let numReplicas: Int
    public let rank: Int
    public let shuffle: Bool
    public let seed: Int
    public let dropLast: Bool
    public private(set) var epoch = 0

    public init(count: Int, numReplicas: Int, rank: Int, shuffle: Bool = true, seed: Int = 0, dropLast: Bool = false) {
        if numReplicas < 1 { fail("DistributedSampler: numReplicas must be at least 1 (got \(numReplicas))") }
        if !(0..<numReplicas).contains(rank) { fail("DistributedSampler: rank \(rank) is not in [0, \(numReplicas))") }
        if count < 1 { fail("DistributedSampler: the dataset is empty") }
        (self.count, self.numReplicas, self.rank, self.shuffle, self.seed, self.dropLast) = (count, numReplicas, rank, shuffle, seed, dropLast)
    }

    /// Samples this rank reads per epoch.
    public var numSamples: Int {
        dropLast && count % numReplicas != 0 ? (count - numReplicas + numReplicas - 1) / numReplicas   // ceil((n - R) / R)
                                             : (count + numReplicas - 1) / numReplicas               // ceil(n / R)
    }
    public var totalSize: Int { numSamples * numReplicas }

    public mutating func setEpoch(_ epoch: Int) { self.epoch = epoch }

    /// This rank's sample indices for the current epoch, in reading order.
    // ANCHOR: indices
    public func indices() -> [Int] {
        // BEGIN SOLUTION ex15_1
        var all = shuffle ? Generator(seed: seed + epoch).permutation(count) : Array(0..<count)
        if dropLast {
            all = Array(all.prefix(totalSize))
        } else {
            while all.count < totalSize { all += all.prefix(totalSize - all.count) }   // pad from the start
        }
        return Array(stride(from: rank, to: totalSize, by: numReplicas).map { all[$0] })
        // END SOLUTION
    }
    // ANCHOR_END: indices
}
