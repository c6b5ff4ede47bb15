import Testing
import Monitoring

/// ex11_2: step time and samples per second (Lessons/11-monitoring/Monitoring.swift,
/// `stepTiming`): the clock gives nanoseconds, so seconds = (end - start) / 10^9, and a step that
/// processed `samples` examples ran at samples / seconds samples per second (what the Trainer's
/// `train_samples_per_second` reports, per step).
@Suite("ex11_2: step time and samples per second")
struct Ex11_2 {
    @Test func secondsFromNanoseconds() {
        let t = stepTiming(step: 7, samples: 32, start: 5_000_000_000, end: 5_016_000_000)
        #expect(t.step == 7)
        #expect(abs(t.seconds - 0.016) < 1e-12, "seconds \(t.seconds), expected 0.016")
        #expect(abs(t.samplesPerSecond - 2000) < 1e-6, "samples/s \(t.samplesPerSecond), expected 32 / 0.016 = 2000")
    }

    @Test func aShortLastBatch() {
        let t = stepTiming(step: 13, samples: 64, start: 0, end: 250_000)
        #expect(abs(t.seconds - 0.00025) < 1e-15, "seconds \(t.seconds)")
        #expect(abs(t.samplesPerSecond - 256_000) < 1e-6, "samples/s \(t.samplesPerSecond), expected 64 / 0.00025 = 256,000")
    }

    @Test func aSlowStep() {
        let t = stepTiming(step: 1, samples: 128, start: 1_000, end: 2_000_001_000)
        #expect(abs(t.seconds - 2) < 1e-12 && abs(t.samplesPerSecond - 64) < 1e-9, "\(t.seconds) s, \(t.samplesPerSecond) samples/s")
    }
}
