import Testing
import MiniTorch

/// ex05_1: early stopping's patience counter (Sources/MiniTorch/Training/EarlyStoppingCallback.swift,
/// `onEvaluate`), as Hugging Face's `EarlyStoppingCallback`: an evaluation improves when it beats
/// the best so far by more than the threshold; otherwise the counter goes up, and reaching
/// `patience` stops training. (Weights are not kept here: `restoreBestWeights: false`.)
@Suite("ex05_1: early stopping with patience")
struct Ex05_1 {
    /// Feeds one value per evaluation (at steps 10, 20, ...) and returns the callback and the
    /// evaluation after which training was told to stop (nil if never).
    static func run(_ values: [Double], patience: Int, threshold: Double = 0, metric: String = "eval_loss",
                    greaterIsBetter: Bool = false) -> (EarlyStoppingCallback, Int?) {
        let callback = EarlyStoppingCallback(patience: patience, threshold: threshold, metric: metric,
                                             greaterIsBetter: greaterIsBetter, restoreBestWeights: false)
        let model = Linear(inFeatures: 2, outFeatures: 2, generator: Generator(seed: 1))
        var state = TrainerState()
        var control = TrainerControl()
        for (i, value) in values.enumerated() {
            state.globalStep = 10 * (i + 1)
            state.epoch = Double(i + 1)
            callback.onEvaluate([metric: value], state: state, control: &control, model: model)
            if control.shouldTrainingStop { return (callback, i + 1) }
        }
        return (callback, nil)
    }

    @Test func stopsAfterPatienceEvaluationsWithoutImprovement() {
        let (cb, stopped) = Self.run([1.0, 0.8, 0.85, 0.9, 0.95, 0.7], patience: 3)
        #expect(stopped == 5, "best at evaluation 2, then 3 worse ones: stop after evaluation 5, got \(String(describing: stopped))")
        #expect(cb.bestValue == 0.8 && cb.bestEvaluation == 2 && cb.bestStep == 20 && cb.bestEpoch == 2,
                "best \(String(describing: cb.bestValue)) at evaluation \(String(describing: cb.bestEvaluation)), step \(String(describing: cb.bestStep))")
        #expect(cb.evaluationsWithoutImprovement == 3, "counter: \(cb.evaluationsWithoutImprovement)")
        #expect(cb.stoppedAtStep == 50, "stopped at step \(String(describing: cb.stoppedAtStep))")
    }

    @Test func anImprovementResetsTheCounter() {
        let (cb, stopped) = Self.run([1.0, 0.9, 0.95, 0.96, 0.85, 0.9, 0.91, 0.92], patience: 3)
        #expect(stopped == 8, "new best at evaluation 5 resets the count: stop after 8, got \(String(describing: stopped))")
        #expect(cb.bestValue == 0.85, "best \(String(describing: cb.bestValue))")
    }

    @Test func equalIsNotAnImprovement() {
        let (_, stopped) = Self.run([0.5, 0.5, 0.5], patience: 2)
        #expect(stopped == 3, "two evaluations equal to the best are two without improvement: got \(String(describing: stopped))")
    }

    @Test func neverStopsWhileImproving() {
        let (cb, stopped) = Self.run([1.0, 0.9, 0.8, 0.7, 0.6], patience: 1)
        #expect(stopped == nil && cb.bestValue == 0.6 && cb.evaluationsWithoutImprovement == 0)
    }
}
