import MiniTorch

/// Short synthetic support tickets in four topics, as bag-of-words features: a stand-in for a
/// text classifier's input that trains in seconds.
///
/// A ticket has 8 to 16 words; each is a topic word with probability `topicShare`, otherwise a
/// common word. 10% of the labels are flipped at random (tickets filed under the wrong topic),
/// so validation loss has a floor and the run has something to overfit.
public enum Topic: Int, CaseIterable, Sendable {
    case billing, shipping, technical, account
}

public enum TicketWords {
    public static let topics: [[String]] = [
        ["invoice", "charge", "refund", "payment", "billed", "card", "price", "receipt", "fee", "paid"],
        ["delivery", "package", "parcel", "courier", "tracking", "arrived", "late", "address", "box", "shipped"],
        ["error", "crash", "login", "bug", "app", "screen", "update", "slow", "freeze", "install"],
        ["password", "email", "profile", "username", "delete", "settings", "verify", "locked", "signup", "name"],
    ]
    public static let common = ["i", "my", "the", "a", "is", "was", "not", "please", "help", "it", "and", "to",
                                "order", "account", "today", "again", "still", "why", "can", "you", "this", "with",
                                "problem", "issue", "thanks"]
    /// Every word, in a fixed order: feature j counts word j.
    public static let vocabulary = common + topics.flatMap { $0 }
}

public struct TicketConfig: Sendable, Equatable {
    public var trainCount = 1600
    public var validationCount = 400
    public var minWords = 8
    public var maxWords = 16
    public var topicShare = 0.25
    public var labelNoise = 0.1
    public init() {}
}

/// Draws a train and a validation set of tickets as bag-of-words vectors [N, V] (word counts
/// divided by the ticket's length) with their labels.
public func makeTickets(_ config: TicketConfig, seed: Int) -> (train: TensorDataset, validation: TensorDataset) {
    let g = Generator(seed: seed)
    let vocabulary = TicketWords.vocabulary
    let index = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })
    func draw(_ n: Int) -> TensorDataset {
        var rows: [[Float]] = [], labels: [Int] = []
        for _ in 0..<n {
            let topic = g.int(below: Topic.allCases.count)
            let length = config.minWords + g.int(below: config.maxWords - config.minWords + 1)
            var counts = [Float](repeating: 0, count: vocabulary.count)
            for _ in 0..<length {
                let words = Double(g.uniform()) < config.topicShare ? TicketWords.topics[topic] : TicketWords.common
                counts[index[words[g.int(below: words.count)]]!] += 1
            }
            rows.append(counts.map { $0 / Float(length) })
            let flip = Double(g.uniform()) < config.labelNoise
            labels.append(flip ? (topic + 1 + g.int(below: Topic.allCases.count - 1)) % Topic.allCases.count : topic)
        }
        return TensorDataset(features: rows, labels: labels)
    }
    return (draw(config.trainCount), draw(config.validationCount))
}
