import Testing
import MiniTorch

/// ex05_1, hidden: the threshold, a metric where higher is better, and patience 1.
@Suite("ex05_1 (hidden): threshold and direction")
struct Ex05_1Hidden {
    @Test func improvementsSmallerThanTheThresholdDoNotCount() {
        let (cb, stopped) = Ex05_1.run([1.0, 0.97, 0.96, 0.94, 0.93, 0.92, 0.91], patience: 3, threshold: 0.05)
        // 0.97 and 0.96 are within 0.05 of 1.0; 0.94 beats it by 0.06 and resets; then 3 small ones.
        #expect(stopped == 7 && cb.bestValue == 0.94, "stopped after \(String(describing: stopped)), best \(String(describing: cb.bestValue))")
    }

    @Test func accuracyWantsHigherValues() {
        let (cb, stopped) = Ex05_1.run([0.5, 0.6, 0.55, 0.58, 0.59], patience: 3, metric: "eval_accuracy", greaterIsBetter: true)
        #expect(stopped == 5 && cb.bestValue == 0.6 && cb.bestEvaluation == 2,
                "stopped after \(String(describing: stopped)), best \(String(describing: cb.bestValue))")
    }

    @Test func patienceOneStopsAtTheFirstMiss() {
        let (_, stopped) = Ex05_1.run([0.9, 0.8, 0.81], patience: 1)
        #expect(stopped == 3, "got \(String(describing: stopped))")
    }
}
