/// Seeded splits of a data set's indices, as PyTorch's `random_split` and scikit-learn's
/// `train_test_split(..., stratify=y)`. They return indices; `dataset.select(indices)` makes
/// the subsets. The same seed gives the same split on every machine.

/// Splits 0..<count into consecutive parts of the given sizes after one seeded shuffle,
/// as `torch.utils.data.random_split(range(count), lengths)`.
public func randomSplit(count: Int, lengths: [Int], seed: Int) -> [[Int]] {
    if lengths.contains(where: { $0 < 0 }) || lengths.reduce(0, +) != count {
        fail("randomSplit: lengths \(lengths) must be non-negative and add up to \(count)")
    }
    let order = Generator(seed: seed).permutation(count)
    var parts: [[Int]] = [], start = 0
    for length in lengths {
        parts.append(Array(order[start..<(start + length)]))
        start += length
    }
    return parts
}

/// Holds out `validationFraction` of 0..<count (rounded to the nearest whole example) for
/// validation, the rest for training; both seeded and disjoint.
public func trainValidationSplit(count: Int, validationFraction: Double, seed: Int) -> (train: [Int], validation: [Int]) {
    checkFraction(validationFraction, op: "trainValidationSplit")
    let held = Int((Double(count) * validationFraction).rounded())
    let parts = randomSplit(count: count, lengths: [count - held, held], seed: seed)
    return (parts[0], parts[1])
}

/// Like `trainValidationSplit`, but keeps each class's share the same in both parts: every
/// class gives `validationFraction` of its own examples (rounded) to validation. With an
/// 80/20 data set, both halves stay 80/20, so a rare class cannot vanish from validation.
public func stratifiedSplit(labels: [Int], validationFraction: Double, seed: Int) -> (train: [Int], validation: [Int]) {
    checkFraction(validationFraction, op: "stratifiedSplit")
    let generator = Generator(seed: seed)
    var train: [Int] = [], validation: [Int] = []
    // BEGIN SOLUTION ex09_3
    // Classes in sorted order, so the generator's draws do not depend on dictionary order.
    let byClass = Dictionary(grouping: labels.indices, by: { labels[$0] })
    for label in byClass.keys.sorted() {
        let members = byClass[label]!
        let shuffled = generator.permutation(members.count).map { members[$0] }
        let held = Int((Double(members.count) * validationFraction).rounded())
        validation += shuffled[..<held]
        train += shuffled[held...]
    }
    // END SOLUTION
    // Mix the classes again so neither part is sorted by class.
    return (generator.permutation(train.count).map { train[$0] },
            generator.permutation(validation.count).map { validation[$0] })
}

private func checkFraction(_ fraction: Double, op: String) {
    if !(fraction >= 0 && fraction <= 1) { fail("\(op): validationFraction must be between 0 and 1 (got \(fraction))") }
}
