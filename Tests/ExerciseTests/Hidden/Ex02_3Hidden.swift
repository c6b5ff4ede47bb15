import Testing
import BatchesVsEpochs

/// ex02_3, hidden: stochastic and full-batch runs, a batch larger than the data set, and a run
/// with drop-last that makes no update at all.
@Suite("ex02_3 (hidden): samples seen at the edges")
struct Ex02_3Hidden {
    @Test func sgdAndBatchGradientDescent() {
        #expect(samplesSeen(afterUpdates: 650, samples: 200, batchSize: 1) == 650)
        #expect(samplesSeen(afterUpdates: 7, samples: 200, batchSize: 200) == 1400)
    }

    @Test func batchLargerThanTheDataSet() {
        #expect(samplesSeen(afterUpdates: 3, samples: 7, batchSize: 10) == 21)
        #expect(samplesSeen(afterUpdates: 0, samples: 7, batchSize: 10, dropLast: true) == 0)
    }

    @Test func longRunWithDropLast() {
        // 1,003 samples at 32: 31 full batches an epoch (992 samples), 11 dropped.
        #expect(samplesSeen(afterUpdates: 31 * 9 + 5, samples: 1003, batchSize: 32, dropLast: true) == 992 * 9 + 160)
        #expect(samplesSeen(afterUpdates: 32 * 9 + 5, samples: 1003, batchSize: 32) == 1003 * 9 + 160)
    }
}
