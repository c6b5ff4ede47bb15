import Foundation
import MiniTorch

/// One decoding setting of the comparison, with what its samples look like in numbers.
public struct SamplingRow: Sendable {
    public let name: String
    public let config: GenerationConfig
    /// distinct-n (Li et al., 2016): different n-grams / all n-grams, over all samples together.
    public let distinct1: Double
    public let distinct2: Double
    /// Share of generated tokens that close a 4-gram already seen earlier in the same sample:
    /// how much of the text is a loop.
    public let repetitionRate: Double
    public let example: String
}

/// The settings compared: greedy, three temperatures, top-k and top-p (Hugging Face's names).
public func samplingSettings(_ s: Settings) -> [(String, GenerationConfig)] {
    let n = s.nPositions - 4, eos = 0
    return [
        ("greedy", GenerationConfig(maxNewTokens: n, doSample: false, eosTokenId: eos)),
        ("temperature 0.2", GenerationConfig(maxNewTokens: n, doSample: true, temperature: 0.2, topK: 0, eosTokenId: eos)),
        ("temperature 0.8", GenerationConfig(maxNewTokens: n, doSample: true, temperature: 0.8, topK: 0, eosTokenId: eos)),
        ("temperature 1.5", GenerationConfig(maxNewTokens: n, doSample: true, temperature: 1.5, topK: 0, eosTokenId: eos)),
        ("top-k 40", GenerationConfig(maxNewTokens: n, doSample: true, temperature: 1, topK: 40, eosTokenId: eos)),
        ("top-p 0.9", GenerationConfig(maxNewTokens: n, doSample: true, temperature: 1, topK: 0, topP: 0.9, eosTokenId: eos)),
    ]
}

public func compareSampling(_ model: GPT2LMHeadModel, _ s: Settings, corpus: TokenCorpus) -> [SamplingRow] {
    let prompt = corpus.tokenizer.encode(s.prompt)
    return samplingSettings(s).map { name, config in
        let samples = (0..<s.samplesPerSetting).map { i in
            Array(model.generate(prompt, config: config, generator: Generator(seed: s.seed + i)).dropFirst(prompt.count))
        }
        return SamplingRow(name: name, config: config, distinct1: distinctN(samples, 1), distinct2: distinctN(samples, 2),
                           repetitionRate: repetitionRate(samples), example: decode(samples[0], corpus: corpus))
    }
}

// ANCHOR: diversity
public func distinctN(_ samples: [[Int]], _ n: Int) -> Double {
    var seen = Set<[Int]>(), total = 0
    for tokens in samples where tokens.count >= n {
        for i in 0...(tokens.count - n) { seen.insert(Array(tokens[i..<(i + n)])); total += 1 }
    }
    return total == 0 ? 0 : Double(seen.count) / Double(total)
}

public func repetitionRate(_ samples: [[Int]], n: Int = 4) -> Double {
    var repeated = 0, total = 0
    for tokens in samples where tokens.count >= n {
        var seen = Set<[Int]>()
        for i in 0...(tokens.count - n) {
            if !seen.insert(Array(tokens[i..<(i + n)])).inserted { repeated += 1 }
            total += 1
        }
    }
    return total == 0 ? 0 : Double(repeated) / Double(total)
}
// ANCHOR_END: diversity
