import Testing
import GradientAccumulation

/// ex04_3: optimizer steps of an accumulated run (Lessons/04-gradient-accumulation/Training.swift,
/// `totalSteps`). The reference counts the windows the lesson's loop makes: every epoch cuts its
/// ceil(N / B) micro-batches into windows of `gradient_accumulation_steps`, a short last window
/// included, one update each.
@Suite("ex04_3: optimizer steps with gradient accumulation")
struct Ex04_3 {
    static func windows(_ c: Settings) -> Int {
        var batches = 0, left = c.datasetSize
        while left > 0 { batches += 1; left -= c.perDeviceTrainBatchSize }
        return stride(from: 0, to: batches, by: c.gradientAccumulationSteps).map { _ in 1 }.count * c.numTrainEpochs
    }

    @Test func theLessonsDefaults() {
        let config = Settings()   // 384 sequences, 8 x 4, 5 epochs
        #expect(totalSteps(config) == 60, "384 / 32 = 12 steps an epoch, 5 epochs: got \(totalSteps(config))")
    }

    @Test func unevenCounts() {
        for (size, batch, k, epochs) in [(385, 8, 4, 5), (384, 8, 5, 3), (100, 7, 3, 2), (10, 16, 4, 7), (384, 8, 1, 1)] {
            var c = Settings()
            c.datasetSize = size
            c.perDeviceTrainBatchSize = batch
            c.gradientAccumulationSteps = k
            c.numTrainEpochs = epochs
            #expect(totalSteps(c) == Self.windows(c), "N \(size), B \(batch), k \(k), \(epochs) epochs: got \(totalSteps(c)), expected \(Self.windows(c))")
        }
    }
}
