import Foundation

/// How `generate` picks tokens, with Hugging Face's `GenerationConfig` field names (written as
/// generation_config.json beside a saved model). With `doSample` false the choice is greedy
/// (the arg max; the first one on a tie, as `torch.argmax`); with it, the scores pass through
/// temperature, top-k and top-p, in that order, and a token is drawn from the softmax.
/// Hugging Face's defaults: temperature 1, top-k 50 (0 turns it off), top-p 1 (off).
public struct GenerationConfig: Codable, Sendable, Equatable {
    public var maxNewTokens: Int
    public var doSample: Bool
    public var temperature: Float
    public var topK: Int
    public var topP: Float
    /// Generation stops after this token (GPT-2's `<|endoftext|>`); nil never stops early.
    public var eosTokenId: Int?
    public var bosTokenId: Int?

    public init(maxNewTokens: Int = 20, doSample: Bool = false, temperature: Float = 1, topK: Int = 50, topP: Float = 1,
                eosTokenId: Int? = nil, bosTokenId: Int? = nil) {
        self.maxNewTokens = maxNewTokens
        self.doSample = doSample
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.eosTokenId = eosTokenId
        self.bosTokenId = bosTokenId
    }

    enum CodingKeys: String, CodingKey {
        case maxNewTokens = "max_new_tokens", doSample = "do_sample", temperature, topK = "top_k", topP = "top_p"
        case eosTokenId = "eos_token_id", bosTokenId = "bos_token_id"
    }

    /// The warpers sampling applies, as `_get_logits_processor` builds them: temperature when it
    /// is not 1, top-k when it is not 0, top-p when it is below 1.
    public var warpers: [any LogitsWarper] {
        var list: [any LogitsWarper] = []
        if temperature != 1 { list.append(TemperatureLogitsWarper(temperature: temperature)) }
        if topK != 0 { list.append(TopKLogitsWarper(topK: topK)) }
        if topP < 1 { list.append(TopPLogitsWarper(topP: topP)) }
        return list
    }

    /// The next token for one row of logits.
    public func nextToken(_ logits: [Float], generator: Generator) -> Int {
        if !doSample { return argmax(logits) }
        let scores = warpers.reduce(logits) { s, warp in warp(s) }
        return sample(softmax(scores), generator: generator)
    }
}

/// The index of the largest value, the first one on a tie (`torch.argmax`).
public func argmax(_ values: [Float]) -> Int {
    var best = 0
    for i in values.indices where values[i] > values[best] { best = i }
    return best
}

/// One draw from a categorical distribution, as `torch.multinomial(probs, 1)` (not the same
/// random stream): the first index whose running sum exceeds a uniform number in [0, 1).
public func sample(_ probabilities: [Float], generator: Generator) -> Int {
    let u = Double(generator.uniform()) * probabilities.reduce(0) { $0 + Double($1) }
    var cumulative = 0.0
    var last = 0
    for (i, p) in probabilities.enumerated() where p > 0 {
        cumulative += Double(p)
        last = i
        if u < cumulative { return i }
    }
    return last   // rounding left u just above the total: the last possible token
}
