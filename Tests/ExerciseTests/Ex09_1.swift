import Testing
import MiniTorch

/// ex09_1: balanced class weights (Sources/MiniTorch/Training/ClassificationMetrics.swift,
/// `computeClassWeights`), as scikit-learn's `compute_class_weight("balanced", classes, y)`:
/// w_c = n_samples / (n_classes x count_c), so every class carries the same total weight,
/// n_samples / n_classes. Reference values: the formula by hand (scikit-learn gives the same).
@Suite("ex09_1: balanced class weights")
struct Ex09_1 {
    /// The lesson's 80/20 set: 1000 / (2 x 200) = 2.5 for the minority, 1000 / (2 x 800) = 0.625.
    @Test func eightyTwenty() {
        let labels = (0..<1000).map { $0 % 5 == 0 ? 0 : 1 }
        let w = computeClassWeights(labels: labels, numClasses: 2)
        #expect(w == [2.5, 0.625], "weights \(w), expected [2.5, 0.625]")
    }

    @Test func threeClasses() {
        let w = computeClassWeights(labels: [2, 1, 2, 0, 1, 2], numClasses: 3)   // counts 1, 2, 3 of 6
        #expect(exerciseClose(w, [2, 1, 2.0 / 3.0]), "weights \(w), expected [2, 1, 0.6667]")
    }

    @Test func balancedDataGetsWeightOne() {
        let w = computeClassWeights(labels: [0, 1, 2, 3, 3, 2, 1, 0], numClasses: 4)
        #expect(w == [1, 1, 1, 1], "weights \(w)")
    }

    /// Each class's weights add up to n / C: the classes weigh the same in the loss.
    @Test func everyClassCarriesTheSameTotal() {
        let counts = [7, 120, 33, 40]
        let labels = counts.enumerated().flatMap { [Int](repeating: $0.offset, count: $0.element) }
        let w = computeClassWeights(labels: labels.reversed(), numClasses: 4)
        let totals = zip(w, counts).map { $0 * Float($1) }
        #expect(exerciseClose(totals, [50, 50, 50, 50], 1e-4), "weight x count per class: \(totals), expected 200 / 4 = 50 each")
    }
}
