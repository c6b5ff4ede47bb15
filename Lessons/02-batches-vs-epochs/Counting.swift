import Foundation
import MiniTorch

/// A data set whose example i is just the number i: iterating a DataLoader over it shows
/// exactly which samples each batch holds.
public struct IndexDataset: Dataset {
    public let count: Int
    public init(count: Int) { self.count = count }
    public subscript(index: Int) -> Int { index }
}

/// A loader that hands out batches of sample indices, as a DataLoader over real data would
/// hand out those samples.
public func indexLoader(samples: Int, batchSize: Int, shuffle: Bool = true, dropLast: Bool = false,
                        seed: Int = 42) -> DataLoader<IndexDataset, [Int]> {
    DataLoader(IndexDataset(count: samples), batchSize: batchSize, shuffle: shuffle, dropLast: dropLast,
               seed: seed) { $0 }
}

/// How many optimizer updates a run makes: one per batch, `batches per epoch` each epoch.
public struct UpdateCount: Sendable, Equatable {
    public var samples: Int
    public var batchSize: Int
    public var dropLast: Bool
    public var epochs: Int
    /// Batches in one epoch, as the DataLoader counts them (`len(loader)` in PyTorch).
    public var updatesPerEpoch: Int
    /// Size of the last batch of an epoch (equal to `batchSize` when it divides evenly).
    public var lastBatchSize: Int
    public var totalUpdates: Int { updatesPerEpoch * epochs }
}

// ANCHOR: per-epoch
/// Optimizer updates in one epoch of `samples` at `batchSize`: one per batch, the last, short
/// batch included unless `dropLast` (PyTorch's `len(loader)`).
public func updatesPerEpoch(samples: Int, batchSize: Int, dropLast: Bool) -> Int {
    // BEGIN SOLUTION ex02_1
    dropLast ? samples / batchSize                        // floor(N / B): the remainder is left out
             : (samples + batchSize - 1) / batchSize      // ceil(N / B): the remainder is one more batch
    // END SOLUTION
}
// ANCHOR_END: per-epoch

// ANCHOR: count
/// Counts updates: batches per epoch times epochs. Nothing is trained, so 1,000 epochs cost
/// nothing to count. The DataLoader's batches of one epoch give the size of the last one.
public func countUpdates(samples: Int, batchSize: Int, epochs: Int, dropLast: Bool = false) -> UpdateCount {
    let loader = indexLoader(samples: samples, batchSize: batchSize, dropLast: dropLast)
    let batches = loader.batchIndices(epoch: 0)          // ceil(N / B) batches, or floor(N / B) with dropLast
    return UpdateCount(samples: samples, batchSize: batchSize, dropLast: dropLast, epochs: epochs,
                       updatesPerEpoch: updatesPerEpoch(samples: samples, batchSize: batchSize, dropLast: dropLast),
                       lastBatchSize: batches.last?.count ?? 0)
}
// ANCHOR_END: count

// ANCHOR: batches
/// Cuts one epoch's order of sample indices into batches of `batchSize`, in that order: the last
/// batch holds what is left, or is left out with `dropLast`. This is what a DataLoader does with
/// the (shuffled) order it draws at the start of every epoch.
public func epochBatches(order: [Int], batchSize: Int, dropLast: Bool) -> [[Int]] {
    // BEGIN SOLUTION ex02_2
    var batches: [[Int]] = []
    var start = 0
    while start < order.count {
        let end = min(start + batchSize, order.count)
        if dropLast && end - start < batchSize { break }  // a short last batch is dropped
        batches.append(Array(order[start..<end]))
        start = end
    }
    return batches
    // END SOLUTION
}
// ANCHOR_END: batches

// ANCHOR: samples-seen
/// Samples the model has seen after `updates` optimizer updates of a run that loops over
/// `samples` samples in batches of `batchSize`, epoch after epoch. Every update but the last of
/// an epoch sees a full batch; the last one sees the remainder, or, with `dropLast`, it is not
/// there and the remainder is never seen that epoch.
public func samplesSeen(afterUpdates updates: Int, samples: Int, batchSize: Int, dropLast: Bool = false) -> Int {
    // BEGIN SOLUTION ex02_3
    let perEpoch = dropLast ? samples / batchSize : (samples + batchSize - 1) / batchSize
    guard perEpoch > 0 else { return 0 }                  // drop-last with B > N: no update ever happens
    let seenPerEpoch = dropLast ? perEpoch * batchSize : samples
    let (epochs, rest) = updates.quotientAndRemainder(dividingBy: perEpoch)
    return epochs * seenPerEpoch + rest * batchSize      // the `rest` updates of an unfinished epoch are full batches
    // END SOLUTION
}
// ANCHOR_END: samples-seen

/// How often each sample came out of the loader, epoch by epoch.
public struct Visits: Sendable {
    /// visits[epoch][sample]: times the sample appeared in that epoch's batches.
    public var visits: [[Int]]
    /// The first batch of each epoch, to show that shuffling reorders every epoch.
    public var firstBatches: [[Int]]

    /// True when every sample appeared exactly once in every epoch.
    public var everySampleOncePerEpoch: Bool { visits.allSatisfy { $0.allSatisfy { $0 == 1 } } }
    /// Samples left out of each epoch (the drop-last remainder).
    public var skippedPerEpoch: [Int] { visits.map { $0.filter { $0 == 0 }.count } }
}

// ANCHOR: visits
/// Runs the loader for `epochs` epochs and counts, per epoch, how often each sample came out.
public func countVisits(samples: Int, batchSize: Int, epochs: Int, shuffle: Bool = true,
                        dropLast: Bool = false, seed: Int = 42) -> Visits {
    let loader = indexLoader(samples: samples, batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, seed: seed)
    var result = Visits(visits: [], firstBatches: [])
    for epoch in 0..<epochs {
        var seen = [Int](repeating: 0, count: samples)
        let batches = epochBatches(order: loader.order(epoch: epoch), batchSize: batchSize, dropLast: dropLast)
        for (b, batch) in batches.enumerated() {               // batch: the sample indices it holds
            if b == 0 { result.firstBatches.append(batch) }
            for sample in batch { seen[sample] += 1 }
        }
        result.visits.append(seen)
    }
    return result
}
// ANCHOR_END: visits

// ANCHOR: trainer-steps
/// Optimizer steps an epoch as Hugging Face's `Trainer` sizes its schedule: the dataloader of each
/// device holds ceil(N / (B x devices)) batches, and `num_update_steps_per_epoch =
/// max(len_dataloader // gradient_accumulation_steps, 1)`. Each step sees
/// B x gradient_accumulation_steps x devices samples (`total_train_batch_size`).
public func trainerStepsPerEpoch(samples: Int, perDeviceTrainBatchSize: Int, devices: Int = 1,
                                 gradientAccumulationSteps: Int = 1) -> Int {
    let perDevice = perDeviceTrainBatchSize * devices
    let batches = (samples + perDevice - 1) / perDevice
    return max(batches / gradientAccumulationSteps, 1)
}
// ANCHOR_END: trainer-steps
