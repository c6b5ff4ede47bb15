import Foundation
import Testing
import LRSchedules

/// ex03_3: reading an LR range test (Lessons/03-lr-schedules/RangeTest.swift,
/// `minimumLossRate` and `steepestRate`). The suggestion is a tenth of the rate at the lowest
/// smoothed loss (fastai's lr_min); the other reading is the rate where the smoothed loss falls
/// fastest against log(lr). Slopes below worked out by hand.
@Suite("ex03_3: the LR range test's suggestions")
struct Ex03_3 {
    static let lrs: [Float] = [1e-4, 1e-3, 1e-2, 1e-1, 1]

    @Test func minimumOfTheSmoothedLoss() {
        let rate = minimumLossRate(lrs: Self.lrs, smoothed: [2.0, 1.9, 1.2, 0.8, 5.0])
        #expect(rate == 1e-1, "rate at the lowest loss: \(rate)")
    }

    @Test func nonFiniteLossesAreSkipped() {
        let rate = minimumLossRate(lrs: Self.lrs, smoothed: [2.0, 1.5, .nan, -.infinity, .infinity])
        #expect(rate == 1e-3, "a NaN or infinite loss is never the minimum: got \(rate)")
        let tie = minimumLossRate(lrs: Self.lrs, smoothed: [1.0, 0.5, 0.5, 2.0, 3.0])
        #expect(tie == 1e-3, "on a tie, the first: got \(tie)")
    }

    /// Slopes (loss[i+1] - loss[i-1]) / (ln lr[i+1] - ln lr[i-1]): i = 1: -0.8 / ln 100 = -0.174,
    /// i = 2: -1.1 / ln 100 = -0.239, so the steepest fall is at i = 2, 1e-2.
    @Test func steepestFall() {
        let rate = steepestRate(lrs: Self.lrs, smoothed: [2.0, 1.9, 1.2, 0.8, 5.0])
        #expect(rate == 1e-2, "steepest rate: \(rate)")
    }

    @Test func steepestNeedsTwoPointsBeforeTheMinimum() {
        let rate = steepestRate(lrs: Self.lrs, smoothed: [2.0, 0.5, 1.0, 3.0, 4.0])
        #expect(rate == 1e-3, "minimum at index 1, no slope before it: the minimum's rate, got \(rate)")
    }
}
