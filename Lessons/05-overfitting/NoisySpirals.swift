import MiniTorch

/// The lesson's data set: two interleaved spiral arms (`SyntheticData.spirals`) in which a
/// share of the labels is flipped to the other arm, plus a validation set drawn the same way.
///
/// The spirals make the true boundary curved, so a model needs many epochs to find it and the
/// curves have time to show their shape; the flipped labels are noise that only memorising can
/// fit, and memorising is what makes validation loss turn up.
public func noisySpirals(count: Int = 200, validationCount: Int = 200, flipFraction: Double = 0.2,
                         noise: Float = 0.2, seed: Int) -> (train: TensorDataset, validation: TensorDataset) {
    let generator = Generator(seed: seed)
    func draw(_ n: Int) -> TensorDataset {
        let clean = SyntheticData.spirals(count: n, classes: 2, noise: noise, generator: generator)
        var labels = clean.labels
        let flips = Int((Double(n) * flipFraction).rounded())
        for i in generator.permutation(n).prefix(flips) { labels[i] = 1 - labels[i] }
        return TensorDataset(features: clean.features, labels: labels)
    }
    let train = draw(count)
    return (train, draw(validationCount))
}
