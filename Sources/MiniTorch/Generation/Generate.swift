import Foundation

/// Autoregressive generation: feed the tokens so far, pick the next one from the logits at the
/// last position, append it, repeat, until `maxNewTokens` or the end-of-text token.
///
/// Without a cache every step runs the whole context through the model again, as nanoGPT's
/// `generate` does; the context is cropped to the last nPositions tokens once it is longer
/// (GPT-2 has no position beyond). With a cache (KVCache.swift) each step feeds only the new
/// token; once the context no longer fits, every position would shift, the cached keys and
/// values no longer hold, and the remaining steps fall back to the uncached crop. Both give the
/// same tokens.
extension GPT2LMHeadModel {
    /// Returns the prompt followed by the new tokens. Runs in evaluation mode (no dropout) and
    /// restores the model's mode afterwards. `generator` drives sampling (the seed).
    public func generate(_ prompt: [Int], config: GenerationConfig, generator: Generator = Generator(seed: 0),
                         useCache: Bool = true) -> [Int] {
        if prompt.isEmpty { fail("generate: the prompt is empty; give at least one token (GPT-2 starts from <|endoftext|>)") }
        if let bad = prompt.first(where: { $0 < 0 || $0 >= self.config.vocabSize }) {
            fail("generate: token id \(bad) is out of range for a vocabulary of \(self.config.vocabSize)")
        }
        let wasTraining = training
        eval()
        defer { train(wasTraining) }
        return noGrad {
            var tokens = prompt
            let cache = useCache && prompt.count < self.config.nPositions ? KVCache(config: self.config) : nil
            var pending = prompt   // tokens the cache has not seen yet
            for _ in 0..<config.maxNewTokens {
                let logits: [Float]
                if let cache, tokens.count <= self.config.nPositions {
                    logits = forward(pending, cache: cache)
                } else {
                    logits = lastLogits(Array(tokens.suffix(self.config.nPositions)))
                }
                let next = config.nextToken(logits, generator: generator)
                tokens.append(next)
                pending = [next]
                if next == config.eosTokenId { break }
            }
            return tokens
        }
    }

    /// The logits at the last position of `context` [T] from a full forward pass.
    public func lastLogits(_ context: [Int]) -> [Float] {
        let hidden = transformer(inputIds: context, shape: [1, context.count])   // [1, T, H]
        let last = hidden.narrow(axis: 1, start: context.count - 1, length: 1)  // [1, 1, H]
        return lm_head(last).scalars                                           // [1, 1, vocab]
    }
}
