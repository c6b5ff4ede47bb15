import Testing
import BatchesVsEpochs

/// ex02_3: samples seen after a number of updates (Lessons/02-batches-vs-epochs/Counting.swift,
/// `samplesSeen`). The reference walks the batches one by one: every epoch hands out full
/// batches and then the remainder (unless drop-last).
@Suite("ex02_3: samples-seen bookkeeping")
struct Ex02_3 {
    /// Samples seen after each of the first `updates` updates, counted batch by batch.
    static func walk(samples: Int, batchSize: Int, dropLast: Bool, updates: Int) -> [Int] {
        var epochSizes: [Int] = []
        var left = samples
        while left >= batchSize { epochSizes.append(batchSize); left -= batchSize }
        if left > 0 && !dropLast { epochSizes.append(left) }
        var seen = [0], total = 0
        while seen.count <= updates && !epochSizes.isEmpty {
            for size in epochSizes where seen.count <= updates { total += size; seen.append(total) }
        }
        return seen
    }

    @Test func theLessonsNumbers() {
        #expect(samplesSeen(afterUpdates: 0, samples: 200, batchSize: 5) == 0)
        #expect(samplesSeen(afterUpdates: 40, samples: 200, batchSize: 5) == 200)    // one epoch
        #expect(samplesSeen(afterUpdates: 40_000, samples: 200, batchSize: 5) == 200_000)
        #expect(samplesSeen(afterUpdates: 40, samples: 203, batchSize: 5) == 200)
        #expect(samplesSeen(afterUpdates: 41, samples: 203, batchSize: 5) == 203)    // the short batch of 3
        #expect(samplesSeen(afterUpdates: 42, samples: 203, batchSize: 5) == 208)
        #expect(samplesSeen(afterUpdates: 41, samples: 203, batchSize: 5, dropLast: true) == 205)
    }

    @Test func matchesWalkingTheBatches() {
        for (samples, batch, dropLast) in [(203, 5, false), (203, 5, true), (10, 3, false), (10, 3, true), (12, 4, false)] {
            let expected = Self.walk(samples: samples, batchSize: batch, dropLast: dropLast, updates: 60)
            let got = (0...60).map { samplesSeen(afterUpdates: $0, samples: samples, batchSize: batch, dropLast: dropLast) }
            #expect(got == expected, "N \(samples), B \(batch), drop-last \(dropLast): \(got) vs \(expected)")
        }
    }
}
