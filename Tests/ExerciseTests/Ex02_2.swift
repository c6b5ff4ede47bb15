import Testing
import BatchesVsEpochs

/// ex02_2: one epoch's order cut into batches (Lessons/02-batches-vs-epochs/Counting.swift,
/// `epochBatches`), as `torch.utils.data.BatchSampler(order, batch_size, drop_last)` does.
@Suite("ex02_2: an epoch's batches visit every sample once")
struct Ex02_2 {
    @Test func cutsInOrderAndKeepsTheShortBatch() {
        let batches = epochBatches(order: [4, 2, 0, 3, 1, 5, 6], batchSize: 3, dropLast: false)
        #expect(batches == [[4, 2, 0], [3, 1, 5], [6]], "batches: \(batches)")
    }

    @Test func dropLastLeavesOutTheShortBatch() {
        let batches = epochBatches(order: [4, 2, 0, 3, 1, 5, 6], batchSize: 3, dropLast: true)
        #expect(batches == [[4, 2, 0], [3, 1, 5]], "batches: \(batches)")
        let even = epochBatches(order: [5, 4, 3, 2, 1, 0], batchSize: 2, dropLast: true)
        #expect(even == [[5, 4], [3, 2], [1, 0]], "nothing to drop when B divides N: \(even)")
    }

    /// A shuffled epoch of 203 samples at batch size 5 (the lesson's example).
    @Test func everySampleExactlyOnce() {
        var order = Array(0..<203)
        var state: UInt64 = 12345
        for i in stride(from: order.count - 1, to: 0, by: -1) {   // a fixed shuffle, Fisher-Yates
            state = state &* 6364136223846793005 &+ 1442695040888963407
            order.swapAt(i, Int((state >> 33) % UInt64(i + 1)))
        }
        let batches = epochBatches(order: order, batchSize: 5, dropLast: false)
        #expect(batches.count == 41, "\(batches.count) batches")
        #expect(batches.dropLast().allSatisfy { $0.count == 5 } && batches.last?.count == 3,
                "batch sizes \(batches.map(\.count))")
        #expect(batches.flatMap { $0 } == order, "the batches, end to end, should be the epoch's order")
        let dropped = epochBatches(order: order, batchSize: 5, dropLast: true)
        #expect(dropped.count == 40 && dropped.flatMap { $0 } == Array(order.prefix(200)),
                "drop-last: \(dropped.count) batches, the last 3 of the order left out")
    }

    @Test func batchLargerThanTheEpoch() {
        #expect(epochBatches(order: [2, 0, 1], batchSize: 8, dropLast: false) == [[2, 0, 1]])
        #expect(epochBatches(order: [2, 0, 1], batchSize: 8, dropLast: true).isEmpty)
        #expect(epochBatches(order: [], batchSize: 4, dropLast: false).isEmpty)
    }
}
