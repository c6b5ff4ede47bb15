import Foundation
import MiniTorch
import Testing
import Workbook
@testable import BatchesVsEpochs

/// Every number chapter 02 states, from the same functions the lesson runs (default flags:
/// batch size 5, 100 epochs, learning rate 0.1, target loss 0.5, seed 42; about 2 s in release).
@Suite("Lesson 02: batches vs epochs")
struct Lesson02Tests {
    static let curves = compareBatchSizes(Settings())

    @Test func updatesPerEpochAndInTotal() {
        let c = countUpdates(samples: 200, batchSize: 5, epochs: 1000)
        #expect(c.updatesPerEpoch == 40 && c.lastBatchSize == 5)
        #expect(c.totalUpdates == 40_000)
        #expect(countUpdates(samples: 200, batchSize: 5, epochs: 1000, dropLast: true).updatesPerEpoch == 40)
    }

    @Test func dropLastAndKeepLast() {
        let keep = countUpdates(samples: 203, batchSize: 5, epochs: 1000)
        let drop = countUpdates(samples: 203, batchSize: 5, epochs: 1000, dropLast: true)
        #expect(keep.updatesPerEpoch == 41 && keep.lastBatchSize == 3 && keep.totalUpdates == 41_000)
        #expect(drop.updatesPerEpoch == 40 && drop.lastBatchSize == 5 && drop.totalUpdates == 40_000)
    }

    /// The chapter: the formula is what the DataLoader reports as its length, and the lesson's
    /// own cutting of an epoch's order gives the DataLoader's batches.
    @Test func theLessonsCountsAgreeWithTheDataLoader() {
        for (samples, batch, dropLast) in [(200, 5, false), (203, 5, false), (203, 5, true), (7, 10, true), (7, 10, false)] {
            let loader = indexLoader(samples: samples, batchSize: batch, dropLast: dropLast)
            #expect(updatesPerEpoch(samples: samples, batchSize: batch, dropLast: dropLast) == loader.count)
            for epoch in 0..<3 {
                #expect(epochBatches(order: loader.order(epoch: epoch), batchSize: batch, dropLast: dropLast)
                        == loader.batchIndices(epoch: epoch))
            }
        }
    }

    @Test func everyEpochVisitsEverySampleOnce() {
        let shuffled = countVisits(samples: 200, batchSize: 5, epochs: 3)
        #expect(shuffled.everySampleOncePerEpoch)
        // Shuffling: a new order every epoch; without it, the same order every time.
        #expect(Set(shuffled.firstBatches).count == 3)
        let ordered = countVisits(samples: 200, batchSize: 5, epochs: 3, shuffle: false)
        #expect(ordered.everySampleOncePerEpoch)
        #expect(ordered.firstBatches.allSatisfy { $0 == [0, 1, 2, 3, 4] })
        // Keep-last with 203 samples still sees everything; drop-last leaves 3 out each epoch,
        // a different 3 each time because the order is shuffled.
        #expect(countVisits(samples: 203, batchSize: 5, epochs: 3).everySampleOncePerEpoch)
        let dropped = countVisits(samples: 203, batchSize: 5, epochs: 3, dropLast: true)
        #expect(dropped.skippedPerEpoch == [3, 3, 3])
        #expect(dropped.visits.allSatisfy { $0.allSatisfy { $0 <= 1 } })
        let left = dropped.visits.map { seen in Set(seen.indices.filter { seen[$0] == 0 }) }
        #expect(left[0] != left[1] && left[1] != left[2])
    }

    @Test func theThreeRuns() {
        let curves = Self.curves
        #expect(curves.map(\.name) == ["batch GD", "mini-batch", "SGD"])
        #expect(curves.map(\.batchSize) == [200, 5, 1])
        #expect(curves.map(\.updatesPerEpoch) == [1, 40, 200])
        #expect(curves.map(\.rows.count) == [100, 4_000, 20_000])
        // Same data, same initial weights: the same loss before the first update.
        #expect(Set(curves.map(\.initialLoss)).count == 1)
        for curve in curves { #expect(curve.rows.last!.samplesSeen == 200 * 100) }
    }

    @Test func reachingTheTarget() {
        let hits = Self.curves.map { $0.firstReaching(0.5)! }
        // Updates needed are within 10% of each other ...
        #expect(hits.map(\.update) == [32, 34, 31])
        // ... but samples seen differ by the batch size.
        #expect(hits.map(\.samplesSeen) == [6_400, 170, 31])
        #expect(hits.map(\.samplesSeen) == zip(hits, Self.curves).map { $0.update * $1.batchSize })
        #expect(abs(hits[0].epoch - 32) < 1e-9 && abs(hits[1].epoch - 0.85) < 1e-9 && abs(hits[2].epoch - 0.155) < 1e-9)
    }

    /// Batch GD with its rate scaled from the mini-batch run's for k = 40: linear (4.0) bounces,
    /// the square root (0.632) reaches the target in 5 updates and 1,000 samples.
    @Test func scaledRatesForTheLargeBatch() {
        let scaled = scaledRateRuns(Settings())
        #expect(scaled.map(\.rule) == ["linear", "square root"])
        let (linear, root) = (scaled[0], scaled[1])
        #expect(linear.learningRate == 4 && fmtMetric(Double(root.learningRate)) == "0.632")
        // Above the stability limit: one dip below the target at update 73, then back up.
        #expect(linear.curve.firstReaching(0.5)?.update == 73 && fmt(linear.curve.finalLoss) == "0.913")
        #expect(linear.curve.rows.filter { $0.trainLoss <= 0.5 }.count == 4)   // "four of its 100 updates"
        let hit = root.curve.firstReaching(0.5)!
        #expect(hit.update == 5 && hit.samplesSeen == 1_000 && fmt(root.curve.finalLoss) == "0.337")
        // Against the fixed rate: 32 updates and 6,400 samples; against the mini-batch run: 170 samples.
        let fixed = Self.curves[0].firstReaching(0.5)!, mini = Self.curves[1].firstReaching(0.5)!
        #expect(fixed.samplesSeen == 6_400 && mini.samplesSeen == 170)
        #expect(Double(hit.samplesSeen) / Double(mini.samplesSeen) > 5.5 && Double(hit.samplesSeen) / Double(mini.samplesSeen) < 6.5)   // "about six times"
    }

    /// The Trainer's count: max(ceil(N / (B x devices)) // GA, 1). 10,000 samples, B = 8, GA = 4.
    @Test func stepsWithDevicesAndAccumulation() {
        #expect(trainerStepsPerEpoch(samples: 10_000, perDeviceTrainBatchSize: 8, devices: 1, gradientAccumulationSteps: 4) == 312)
        #expect(trainerStepsPerEpoch(samples: 10_000, perDeviceTrainBatchSize: 8, devices: 8, gradientAccumulationSteps: 4) == 39)
        #expect(trainerStepsPerEpoch(samples: 200, perDeviceTrainBatchSize: 5) == 40)
        #expect(trainerStepsPerEpoch(samples: 10, perDeviceTrainBatchSize: 8, devices: 8, gradientAccumulationSteps: 4) == 1)   // at least 1
    }

    @Test func sgdIsTheNoisiest() {
        let noise = Self.curves.map(\.noise)
        #expect(noise[2] > noise[1] && noise[1] > noise[0])
        #expect(noise[2] > 3 * noise[1])      // batch 1 vs batch 5
        #expect(noise[0] < 0.001)             // the whole set: no sampling noise at all
    }

    @Test func sgdNeverSettles() {
        let (mini, sgd) = (Self.curves[1], Self.curves[2])
        // A single sample's loss: about 0 for an easy point, above 10 for one deep in another blob.
        let late = sgd.rows.suffix(sgd.rows.count / 2).map(\.batchLoss)
        #expect(late.min()! < 0.01 && late.max()! > 10)
        // With a fixed learning rate its whole-set loss ends no better than the mini-batch run's.
        #expect(sgd.finalLoss > mini.finalLoss)
    }

    @Test func batchSize16() {
        let keep = countUpdates(samples: 200, batchSize: 16, epochs: 1000)
        let drop = countUpdates(samples: 200, batchSize: 16, epochs: 1000, dropLast: true)
        #expect(keep.updatesPerEpoch == 13 && keep.lastBatchSize == 8 && drop.updatesPerEpoch == 12)
        // Smoother than batch 5, and more samples to the target.
        let run16 = trainRun(name: "mini-batch", batchSize: 16, config: Settings())
        #expect(run16.noise < Self.curves[1].noise)
        #expect(run16.firstReaching(0.5)!.samplesSeen > Self.curves[1].firstReaching(0.5)!.samplesSeen)
    }

    @Test func stepNoiseIsTheSpreadOfChanges() {
        #expect(stepNoise([1, 2, 3, 4, 5]) == 0)          // steady fall or rise: no noise
        #expect(abs(stepNoise([0, 1, 0, 1, 0]) - (4.0 / 3).squareRoot()) < 1e-12)
    }

    @Test func sameSeedSameCurve() {
        var config = Settings()
        config.numTrainEpochs = 2
        let a = trainRun(name: "a", batchSize: 5, config: config), b = trainRun(name: "b", batchSize: 5, config: config)
        #expect(a.rows == b.rows)
    }
}
