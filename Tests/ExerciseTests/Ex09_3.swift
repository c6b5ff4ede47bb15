import Testing
import MiniTorch

/// ex09_3: the stratified split (Sources/MiniTorch/Data/RandomSplit.swift, `stratifiedSplit`),
/// as scikit-learn's `train_test_split(..., stratify=y)`: every class gives
/// round(count_c x validationFraction) of its own examples, chosen at random with the seed, to
/// validation and the rest to training, so both parts keep the classes' shares.
@Suite("ex09_3: the stratified split")
struct Ex09_3 {
    static func counts(_ indices: [Int], _ labels: [Int], classes: Int) -> [Int] {
        (0..<classes).map { c in indices.filter { labels[$0] == c }.count }
    }

    @Test func eightyTwentyStaysEightyTwenty() {
        let labels = (0..<1000).map { $0 % 5 == 3 ? 0 : 1 }
        let split = stratifiedSplit(labels: labels, validationFraction: 0.2, seed: 42)
        #expect(Self.counts(split.validation, labels, classes: 2) == [40, 160], "validation per class \(Self.counts(split.validation, labels, classes: 2))")
        #expect(Self.counts(split.train, labels, classes: 2) == [160, 640], "train per class \(Self.counts(split.train, labels, classes: 2))")
    }

    @Test func everyIndexExactlyOnce() {
        let labels = (0..<301).map { ($0 * 7) % 3 }
        let split = stratifiedSplit(labels: labels, validationFraction: 0.3, seed: 1)
        #expect((split.train + split.validation).sorted() == Array(0..<301), "train and validation must partition 0..<301")
    }

    /// Each class rounds its own share: 7 x 0.25 = 1.75 -> 2, 3 x 0.25 = 0.75 -> 1, 30 x 0.25 = 7.5 -> 8.
    @Test func eachClassRoundsItsOwnShare() {
        let labels = [Int](repeating: 0, count: 7) + [Int](repeating: 1, count: 3) + [Int](repeating: 2, count: 30)
        let split = stratifiedSplit(labels: labels, validationFraction: 0.25, seed: 3)
        #expect(Self.counts(split.validation, labels, classes: 3) == [2, 1, 8], "validation per class \(Self.counts(split.validation, labels, classes: 3))")
    }

    /// The held-out examples are a random choice within each class, fixed by the seed.
    @Test func randomButSeeded() {
        let labels = (0..<200).map { $0 < 150 ? 1 : 0 }
        let a = stratifiedSplit(labels: labels, validationFraction: 0.2, seed: 7)
        let b = stratifiedSplit(labels: labels, validationFraction: 0.2, seed: 7)
        let c = stratifiedSplit(labels: labels, validationFraction: 0.2, seed: 8)
        #expect(a.train == b.train && a.validation == b.validation, "the same seed must give the same split")
        #expect(Set(a.validation) != Set(c.validation), "another seed should hold out other examples")
        let heldMajority = a.validation.filter { labels[$0] == 1 }.sorted()
        #expect(heldMajority != Array(0..<30) && heldMajority != Array(120..<150), "not the first or last members of a class: \(heldMajority)")
    }
}
