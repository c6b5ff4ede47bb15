import Testing
import BatchesVsEpochs

/// ex02_1: optimizer updates in one epoch (Lessons/02-batches-vs-epochs/Counting.swift,
/// `updatesPerEpoch`): ceil(N / B) batches, or floor(N / B) with drop-last. The values are
/// PyTorch's `len(DataLoader(range(N), batch_size=B, drop_last=...))`.
@Suite("ex02_1: updates per epoch, with and without drop-last")
struct Ex02_1 {
    @Test func evenDivision() {
        #expect(updatesPerEpoch(samples: 200, batchSize: 5, dropLast: false) == 40)
        #expect(updatesPerEpoch(samples: 200, batchSize: 5, dropLast: true) == 40)
        #expect(updatesPerEpoch(samples: 200, batchSize: 200, dropLast: false) == 1)
        #expect(updatesPerEpoch(samples: 200, batchSize: 1, dropLast: true) == 200)
    }

    @Test func unevenDivisionKeepsOrDropsTheShortBatch() {
        #expect(updatesPerEpoch(samples: 203, batchSize: 5, dropLast: false) == 41)
        #expect(updatesPerEpoch(samples: 203, batchSize: 5, dropLast: true) == 40)
        #expect(updatesPerEpoch(samples: 10, batchSize: 3, dropLast: false) == 4)
        #expect(updatesPerEpoch(samples: 10, batchSize: 3, dropLast: true) == 3)
    }

    @Test func batchLargerThanTheDataSet() {
        #expect(updatesPerEpoch(samples: 7, batchSize: 10, dropLast: false) == 1)
        #expect(updatesPerEpoch(samples: 7, batchSize: 10, dropLast: true) == 0)
    }
}
