import MiniTorch

/// Short synthetic "reviews" for a sentiment classifier, 80% positive and 20% negative, as in the
/// failed DistilBERT fine-tune this lesson reproduces.
///
/// A review is a handful of neutral words ("the plot was ...") with one to three sentiment words
/// mixed in. Each sentiment word agrees with the review's label most of the time but not always
/// (a positive review may say "boring" once), so no single word gives the answer away and a model
/// has to weigh them. Labels follow the source: negative is 0 (the minority), positive is 1.
public enum Sentiment: Int, CaseIterable, Sendable {
    case negative = 0
    case positive = 1

    public var name: String { self == .negative ? "negative" : "positive" }
}

public enum ReviewWords {
    public static let positive = ["great", "wonderful", "excellent", "loved", "brilliant", "superb",
                                  "delightful", "charming", "moving", "fantastic", "enjoyable", "beautiful"]
    public static let negative = ["terrible", "awful", "boring", "dull", "hated", "disappointing",
                                  "weak", "poor", "tedious", "messy", "bland", "painful"]
    public static let neutral = ["the", "movie", "film", "plot", "actors", "story", "was", "and", "a", "of",
                                 "it", "this", "with", "ending", "music", "scenes", "characters", "director",
                                 "script", "i", "very", "quite", "really", "at", "times", "but", "overall",
                                 "cast", "camera", "dialogue"]
}

/// How the reviews are drawn. The defaults give 2,000 reviews, 1,600 positive and 400 negative.
public struct ReviewConfig: Sendable, Equatable {
    public var count = 2000
    /// Share of the minority (negative) class: exactly round(count x share) reviews.
    public var minorityShare = 0.2
    /// Words per review, both ends included.
    public var minWords = 6
    public var maxWords = 14
    /// Chance that a sentiment word comes from the other class's list.
    public var flipProbability = 0.15

    public init() {}
}

/// One review: its text, its token ids (padded with `<pad>` to a common length) and its label.
public struct Review: Sendable {
    public let text: String
    public let ids: [Int]        // [maxLength], `<pad>` after the last word
    public let length: Int       // words before the padding
    public let label: Int
}

/// The reviews of one data set, as a map-style data set the DataLoader can batch.
public struct ReviewDataset: Dataset, Sendable {
    public let reviews: [Review]
    public let maxLength: Int

    public var count: Int { reviews.count }
    public subscript(index: Int) -> Review { reviews[index] }
    public var labels: [Int] { reviews.map(\.label) }

    /// The reviews at `indices`, in that order (repeats allowed: oversampling uses them).
    public func subset(_ indices: [Int]) -> ReviewDataset {
        ReviewDataset(reviews: indices.map { reviews[$0] }, maxLength: maxLength)
    }
}

/// A batch of reviews: ids [B, L] flattened row by row, each review's word count, the labels.
public struct ReviewBatch {
    public let ids: [Int]        // [B * L]
    public let lengths: [Int]    // [B]
    public let labels: [Int]     // [B]
    public var count: Int { labels.count }

    /// The DataLoader's collate function: stacks padded reviews into one batch.
    public static func collate(_ reviews: [Review]) -> ReviewBatch {
        ReviewBatch(ids: reviews.flatMap(\.ids), lengths: reviews.map(\.length), labels: reviews.map(\.label))
    }
}

/// The tokenizer of the review vocabulary: the special tokens, then every word, ids fixed by the
/// word lists (not by the draw), so the same word has the same id in every run.
public func reviewTokenizer() -> WordTokenizer {
    WordTokenizer(vocabulary: WordTokenizer.specialTokens + ReviewWords.neutral + ReviewWords.positive + ReviewWords.negative)
}

/// Draws the reviews: exactly round(count x minorityShare) negative ones, the rest positive, in a
/// seeded random order.
public func makeReviews(_ config: ReviewConfig, tokenizer: WordTokenizer, seed: Int) -> ReviewDataset {
    let generator = Generator(seed: seed)
    let negatives = Int((Double(config.count) * config.minorityShare).rounded())
    var labels = [Int](repeating: Sentiment.positive.rawValue, count: config.count - negatives)
        + [Int](repeating: Sentiment.negative.rawValue, count: negatives)
    labels = generator.permutation(labels.count).map { labels[$0] }

    func pick(_ words: [String]) -> String { words[generator.int(below: words.count)] }
    let reviews = labels.map { label -> Review in
        let length = config.minWords + generator.int(below: config.maxWords - config.minWords + 1)
        var words = (0..<length).map { _ in pick(ReviewWords.neutral) }
        let own = label == Sentiment.positive.rawValue ? ReviewWords.positive : ReviewWords.negative
        let other = label == Sentiment.positive.rawValue ? ReviewWords.negative : ReviewWords.positive
        for _ in 0..<(1 + generator.int(below: 3)) {       // one to three sentiment words
            let flip = Double(generator.uniform()) < config.flipProbability
            words[generator.int(below: length)] = pick(flip ? other : own)
        }
        let text = words.joined(separator: " ")
        let ids = tokenizer.encode(text, addSpecialTokens: false, maxLength: config.maxWords, padding: true)
        return Review(text: text, ids: ids, length: length, label: label)
    }
    return ReviewDataset(reviews: reviews, maxLength: config.maxWords)
}

// ANCHOR: oversample
/// Random oversampling, as imbalanced-learn's `RandomOverSampler`: draw extra examples of every
/// smaller class, with replacement, until each class has as many as the largest. Only the
/// training set is resampled; validation keeps the true 80/20 mix the model will meet.
public func oversample(_ labels: [Int], numClasses: Int, seed: Int) -> [Int] {
    let generator = Generator(seed: seed)
    let byClass = (0..<numClasses).map { c in labels.indices.filter { labels[$0] == c } }
    let largest = byClass.map(\.count).max() ?? 0
    var indices = Array(labels.indices)
    for members in byClass where !members.isEmpty {
        for _ in members.count..<largest { indices.append(members[generator.int(below: members.count)]) }
    }
    return indices
}
// ANCHOR_END: oversample
