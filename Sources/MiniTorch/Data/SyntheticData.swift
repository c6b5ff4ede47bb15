import Foundation

/// Small seeded data sets of 2-D points for the early lessons: quick to train on, easy to plot.
///
/// Every set is drawn from the generator you pass, so `--seed 42` gives the same points on every
/// machine. Rows are shuffled, so the first rows are not all one class.
public enum SyntheticData {
    /// `classes` Gaussian blobs in the plane, as scikit-learn's `make_blobs`: centre c sits at
    /// angle 2 pi c / classes on a circle of `radius`, and each point is its centre plus normal
    /// noise of standard deviation `spread` on both axes. Larger `spread` means more overlap.
    ///
    /// `proportions` (one weight per class, e.g. [0.8, 0.2]) makes an imbalanced set; by default
    /// the classes are as equal as `count` allows. Class sizes are exact, not sampled.
    public static func blobs(count: Int, classes: Int = 2, spread: Float = 0.5, radius: Float = 2,
                             proportions: [Double]? = nil, generator: Generator) -> TensorDataset {
        check(count: count, classes: classes, op: "blobs")
        let weights = proportions ?? [Double](repeating: 1, count: classes)
        if weights.count != classes || weights.contains(where: { !($0 >= 0) }) || weights.reduce(0, +) <= 0 {
            fail("blobs: proportions \(weights) need one non-negative weight per class (\(classes) classes)")
        }
        let labels = classSizes(count: count, weights: weights).enumerated().flatMap { c, n in [Int](repeating: c, count: n) }
        var rows: [[Float]] = []
        for label in labels {
            let angle = 2 * Float.pi * Float(label) / Float(classes)
            rows.append([radius * cos(angle) + generator.normal(mean: 0, std: spread),
                         radius * sin(angle) + generator.normal(mean: 0, std: spread)])
        }
        return shuffled(rows: rows, labels: labels, generator: generator)
    }

    /// `classes` interleaved spiral arms, as in Stanford CS231n's "spiral data": for arm j,
    /// point i of n has radius r = i / (n - 1) and angle t = 4j + 4r + noise (normal, std
    /// `noise`), at (r sin t, r cos t). No straight line separates the arms, so a linear model
    /// fails and a small MLP succeeds.
    public static func spirals(count: Int, classes: Int = 2, noise: Float = 0.2, generator: Generator) -> TensorDataset {
        check(count: count, classes: classes, op: "spirals")
        var rows: [[Float]] = [], labels: [Int] = []
        for (arm, n) in classSizes(count: count, weights: [Double](repeating: 1, count: classes)).enumerated() {
            for i in 0..<n {
                let r = n > 1 ? Float(i) / Float(n - 1) : 0
                let t = 4 * Float(arm) + 4 * r + generator.normal(mean: 0, std: noise)
                rows.append([r * sin(t), r * cos(t)])
                labels.append(arm)
            }
        }
        return shuffled(rows: rows, labels: labels, generator: generator)
    }

    /// Sizes that split `count` in proportion to `weights`, adding up to `count` exactly
    /// (largest remainders get the leftover examples; ties go to the lower class).
    static func classSizes(count: Int, weights: [Double]) -> [Int] {
        let total = weights.reduce(0, +)
        let exact = weights.map { Double(count) * $0 / total }
        var sizes = exact.map { Int($0) }
        let order = exact.indices.sorted { (exact[$0] - Double(sizes[$0]), -$0) > (exact[$1] - Double(sizes[$1]), -$1) }
        for i in order.prefix(count - sizes.reduce(0, +)) { sizes[i] += 1 }
        return sizes
    }

    static func shuffled(rows: [[Float]], labels: [Int], generator: Generator) -> TensorDataset {
        let order = generator.permutation(rows.count)
        return TensorDataset(features: Tensor(order.flatMap { rows[$0] }, shape: [rows.count, 2]), labels: order.map { labels[$0] })
    }

    private static func check(count: Int, classes: Int, op: String) {
        if count < 1 { fail("\(op): count must be at least 1 (got \(count))") }
        if classes < 2 { fail("\(op): classes must be at least 2 (got \(classes))") }
    }
}
