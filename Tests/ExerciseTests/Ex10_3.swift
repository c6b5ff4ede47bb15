import Testing
import MiniTorch
import StableTraining

/// ex10_3: the dynamic loss scaler's update (Lessons/10-stable-training/LossScaling.swift,
/// `GradScaler.update`), as PyTorch's `torch.amp.GradScaler.update` (`_amp_update_scale_`):
/// after a step whose gradients held an inf or NaN, multiply the scale by backoffFactor (0.5) and
/// reset the count of good steps; after a good step, count it, and when growthInterval good steps
/// in a row are reached multiply the scale by growthFactor (2) and reset the count.
@Suite("ex10_3: the dynamic loss scaler's update")
struct Ex10_3 {
    @Test func backOffOnOverflow() {
        let s = GradScaler(initScale: 65536, growthInterval: 3)
        s.update(foundInf: true)
        #expect(s.scale == 32768 && s.growthTracker == 0, "after an overflow: scale \(s.scale), tracker \(s.growthTracker)")
        s.update(foundInf: true)
        #expect(s.scale == 16384, "two overflows: scale \(s.scale)")
    }

    @Test func growAfterGrowthIntervalGoodSteps() {
        let s = GradScaler(initScale: 1024, growthInterval: 3)
        s.update(foundInf: false)
        s.update(foundInf: false)
        #expect(s.scale == 1024 && s.growthTracker == 2, "two good steps of 3: scale \(s.scale), tracker \(s.growthTracker)")
        s.update(foundInf: false)
        #expect(s.scale == 2048 && s.growthTracker == 0, "third good step: scale \(s.scale), tracker \(s.growthTracker)")
    }

    /// An overflow restarts the count: growth needs growthInterval good steps in a row.
    @Test func overflowResetsTheCount() {
        let s = GradScaler(initScale: 1024, growthInterval: 3)
        for found in [false, false, true, false, false] { s.update(foundInf: found) }
        #expect(s.scale == 512 && s.growthTracker == 2, "scale \(s.scale), tracker \(s.growthTracker): no growth yet after the overflow")
        s.update(foundInf: false)
        #expect(s.scale == 1024 && s.growthTracker == 0, "scale \(s.scale) after three good steps in a row")
    }

    /// A longer run, traced by hand with PyTorch's rule (interval 2): 2^16 -> 2^17 -> 2^16 ->
    /// 2^15 -> 2^14 -> 2^15.
    @Test func aTrace() {
        let s = GradScaler(initScale: 65536, growthInterval: 2)
        var scales: [Float] = []
        for found in [false, false, true, false, true, true, false, false] {
            s.update(foundInf: found)
            scales.append(s.scale)
        }
        #expect(scales == [65536, 131072, 65536, 65536, 32768, 16384, 16384, 32768], "scales \(scales)")
    }

    @Test func otherFactors() {
        let s = GradScaler(initScale: 100, growthFactor: 4, backoffFactor: 0.25, growthInterval: 1)
        s.update(foundInf: false)
        #expect(s.scale == 400, "growth factor 4, interval 1: \(s.scale)")
        s.update(foundInf: true)
        #expect(s.scale == 100, "backoff factor 0.25: \(s.scale)")
    }
}
