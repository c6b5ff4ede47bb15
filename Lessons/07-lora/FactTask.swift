import MaskedLanguageModeling
import MiniTorch

/// The downstream task: which continent is a fact about?
/// "the capital of france is paris ." -> europe, "in kenya people speak swahili ." -> africa.
///
/// The sentences are true facts of the synthetic world, in the corpus's own forms, so every
/// word is one the pretrained encoder knows. A country's sentence names the continent only in
/// one form ("kenya is a country in africa ."); in the others the classifier must recall it,
/// which the pretrained encoder can, because it read those facts.
///
/// Every (country, form) pair is either a training pair or a validation pair, so validation
/// asks about sentences the fine-tune never saw, about countries it did see in other forms.
public struct FactTask: Sendable {
    /// The labels, in order.
    public static let continents = ["europe", "africa", "asia", "america", "oceania"]
    /// Share of the (country, form) pairs held out for validation.
    public static let validationShare = 1.0 / 3.0

    public let train: [(ids: [Int], label: Int)]
    public let validation: [(ids: [Int], label: Int)]
    public var numLabels: Int { FactTask.continents.count }

    /// `trainCount` training sentences drawn from the training pairs and `validationCount`
    /// validation sentences drawn from the held-out pairs, encoded by the pretrained tokenizer.
    public init(tokenizer: WordTokenizer, seed: Int, trainCount: Int, validationCount: Int) {
        let countries = SyntheticCorpus.countries, forms = SyntheticCorpus.factTemplates
        let pairs = countries.indices.flatMap { c in forms.indices.map { (c, $0) } }        // 36 x 6 = 216
        let order = Generator(seed: UInt64(seed) &+ 700).permutation(pairs.count)
        let held = Int((Double(pairs.count) * FactTask.validationShare).rounded())
        func draw(_ from: ArraySlice<Int>, count: Int, generator g: Generator) -> [(ids: [Int], label: Int)] {
            let pool = Array(from)
            return (0..<count).map { _ in
                let (c, f) = pairs[pool[g.int(below: pool.count)]]
                let country = countries[c]
                return (tokenizer.encode(SyntheticCorpus.fill(forms[f], with: country)),
                        FactTask.continents.firstIndex(of: country.continent)!)
            }
        }
        validation = draw(order.prefix(held), count: validationCount, generator: Generator(seed: UInt64(seed) &+ 701))
        train = draw(order.dropFirst(held), count: trainCount, generator: Generator(seed: UInt64(seed) &+ 702))
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
            let predictions = model(inputIds: b.ids, attentionMask: b.mask, shape: b.shape).argmax(axis: -1)   // [B, labels] -> [B]
            correct += zip(predictions, b.labels).filter { $0 == $1 }.count
        }
    }
    return Double(correct) / Double(max(examples.count, 1))
}
