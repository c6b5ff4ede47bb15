import MiniTorch

/// The downstream task: is a stated fact about the synthetic world true or false?
/// "the capital of france is paris ." -> 1, "the capital of france is tokyo ." -> 0.
///
/// The sentences use only words the pretrained encoder knows, and the true ones are the very
/// facts it read during pretraining, so a model that remembers the world has a head start.
public struct FactTask: Sendable {
    public let train: [(ids: [Int], label: Int)]
    public let validation: [(ids: [Int], label: Int)]
    public var numLabels: Int { (train.map(\.label).max() ?? 0) + 1 }

    /// `trainCount` training and `validationCount` validation examples from
    /// `SyntheticCorpus.factExamples`, with different seeds, encoded by the pretrained tokenizer.
    public init(tokenizer: WordTokenizer, seed: Int, trainCount: Int, validationCount: Int) {
        func encode(_ examples: [(sentence: String, label: Int)]) -> [(ids: [Int], label: Int)] {
            examples.map { (tokenizer.encode($0.sentence), $0.label) }
        }
        train = encode(SyntheticCorpus.factExamples(seed: seed &+ 700, count: trainCount))
        validation = encode(SyntheticCorpus.factExamples(seed: seed &+ 701, count: validationCount))
    }

    public init(train: [(ids: [Int], label: Int)], validation: [(ids: [Int], label: Int)]) {
        self.train = train
        self.validation = validation
    }

    /// A padded batch: ids [B, T], attention mask [B, T], labels [B].
    public static func batch(_ examples: ArraySlice<(ids: [Int], label: Int)>) -> (ids: [Int], mask: [Int], shape: [Int], labels: [Int]) {
        let (ids, mask, length) = DataCollatorForLanguageModeling.pad(examples.map(\.ids))
        return (ids, mask, [examples.count, length], examples.map(\.label))
    }
}

/// Share of `examples` the classifier gets right (dropout off, no graph).
public func accuracy(_ model: RobertaForSequenceClassification, on examples: [(ids: [Int], label: Int)], batchSize: Int = 250) -> Double {
    let wasTraining = model.training
    model.eval()
    defer { model.train(wasTraining) }
    var correct = 0
    noGrad {
        for start in stride(from: 0, to: examples.count, by: batchSize) {
            let b = FactTask.batch(examples[start..<min(start + batchSize, examples.count)])
            let predictions = model(inputIds: b.ids, attentionMask: b.mask, shape: b.shape).argmax(axis: -1)   // [B, 2] -> [B]
            correct += zip(predictions, b.labels).filter { $0 == $1 }.count
        }
    }
    return Double(correct) / Double(max(examples.count, 1))
}
