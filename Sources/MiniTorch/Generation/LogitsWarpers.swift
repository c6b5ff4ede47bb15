/// The three filters that reshape next-token scores before sampling, as Hugging Face's logits
/// warpers (transformers/src/transformers/generation/logits_process.py): `TemperatureLogitsWarper`,
/// `TopKLogitsWarper`, `TopPLogitsWarper`. `generate` applies them in that order, the order of
/// `GenerationMixin._get_logits_processor`, each to one row of scores (logits over the vocabulary).
/// A removed token gets -inf, so softmax gives it probability exactly 0.
public protocol LogitsWarper {
    func callAsFunction(_ scores: [Float]) -> [Float]
}

/// scores / temperature: below 1 sharpens the distribution towards the top token, above 1
/// flattens it. Hugging Face rejects 0 ("set do_sample=False" for greedy); so does this.
public struct TemperatureLogitsWarper: LogitsWarper {
    public let temperature: Float

    public init(temperature: Float) {
        if !(temperature > 0) || !temperature.isFinite {
            fail("TemperatureLogitsWarper: temperature must be a positive number (got \(temperature)); for greedy decoding set doSample to false")
        }
        self.temperature = temperature
    }

    public func callAsFunction(_ scores: [Float]) -> [Float] { scores.map { $0 / temperature } }
}

/// Keeps the k highest scores. Hugging Face's rule, tie included: k = min(max(topK,
/// minTokensToKeep), vocab), then every score strictly below the k-th largest is removed
/// (`scores < torch.topk(scores, k)[0][..., -1, None]`), so tokens tied with the k-th all stay
/// and more than k may survive.
public struct TopKLogitsWarper: LogitsWarper {
    public let topK: Int
    public let minTokensToKeep: Int

    public init(topK: Int, minTokensToKeep: Int = 1) {
        if topK <= 0 { fail("TopKLogitsWarper: topK must be a positive integer (got \(topK))") }
        if minTokensToKeep < 1 { fail("TopKLogitsWarper: minTokensToKeep must be at least 1 (got \(minTokensToKeep))") }
        self.topK = Swift.max(topK, minTokensToKeep)
        self.minTokensToKeep = minTokensToKeep
    }

    public func callAsFunction(_ scores: [Float]) -> [Float] {
        // BEGIN SOLUTION ex13_2
        let k = Swift.min(topK, scores.count)
        if k == 0 { return scores }
        let kth = scores.sorted(by: >)[k - 1]
        return scores.map { $0 < kth ? -.infinity : $0 }
        // END SOLUTION
    }
}

/// Nucleus filtering: keeps the most probable tokens whose probabilities add up to topP.
/// Hugging Face's rule: sort ascending, take softmax and its running sum, remove every token
/// whose running sum is <= 1 - topP (so the token that crosses the threshold stays), and never
/// remove the minTokensToKeep most probable. PyTorch's sort does not promise an order among
/// equal scores; here ties are sorted by token id, so results are reproducible.
public struct TopPLogitsWarper: LogitsWarper {
    public let topP: Float
    public let minTokensToKeep: Int

    public init(topP: Float, minTokensToKeep: Int = 1) {
        if !(topP >= 0 && topP <= 1) { fail("TopPLogitsWarper: topP must be in [0, 1] (got \(topP))") }
        if minTokensToKeep < 1 { fail("TopPLogitsWarper: minTokensToKeep must be at least 1 (got \(minTokensToKeep))") }
        self.topP = topP
        self.minTokensToKeep = minTokensToKeep
    }

    public func callAsFunction(_ scores: [Float]) -> [Float] {
        // BEGIN SOLUTION ex13_2
        let order = scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }   // ascending
        let probabilities = softmax(order.map { scores[$0] })
        var kept = scores
        var cumulative: Float = 0
        for (rank, index) in order.enumerated() {
            cumulative += probabilities[rank]
            let protected = rank >= order.count - minTokensToKeep
            if cumulative <= 1 - topP && !protected { kept[index] = -.infinity }
        }
        return kept
        // END SOLUTION
    }
}

/// softmax of a row of scores, in Float as PyTorch computes it; -inf gives 0.
public func softmax(_ scores: [Float]) -> [Float] {
    let m = scores.max() ?? 0
    if m == -.infinity { return scores.map { _ in 0 } }
    let e = scores.map { ($0 - m).isNaN ? 0 : Foundation.exp($0 - m) }
    let total = e.reduce(0, +)
    return e.map { $0 / total }
}

import Foundation
