import Testing
import MiniTorch

/// ex13_3: one KV-cache step (Sources/MiniTorch/Generation/KVCache.swift, `cachedAttention`):
/// the new queries against every cached key (and their own), causally, then the values mixed by
/// those weights. The logits after each cached step must equal a full forward pass.
@Suite("ex13_3: one KV-cache step")
struct Ex13_3 {
    @Test func cachedStepsEqualTheFullForward() {
        let config = GPT2Config(vocabSize: 13, nPositions: 10, nEmbd: 12, nLayer: 2, nHead: 3, residPdrop: 0, embdPdrop: 0, attnPdrop: 0,
                                bosTokenId: 0, eosTokenId: 0)
        let model = GPT2LMHeadModel(config: config, generator: Generator(seed: 2)).eval()
        let ids = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]
        let cache = KVCache(config: config)
        var rows = [model.forward(Array(ids[..<3]), cache: cache)]   // prompt of 3, then one token a step
        for t in 3..<10 { rows.append(model.forward([ids[t]], cache: cache)) }
        let full = noGrad { model(inputIds: ids, shape: [1, 10]) }.scalars
        for (i, t) in (2..<10).enumerated() {
            #expect(exerciseClose(rows[i], Array(full[(t * 13)..<((t + 1) * 13)]), 1e-5), "logits at position \(t)")
        }
    }

    @Test func generationWithTheCacheGivesTheSameTokens() {
        let config = GPT2Config(vocabSize: 13, nPositions: 16, nEmbd: 12, nLayer: 1, nHead: 2, bosTokenId: 0, eosTokenId: 0)
        let model = GPT2LMHeadModel(config: config, generator: Generator(seed: 3))
        let settings = GenerationConfig(maxNewTokens: 12, doSample: true, topK: 0)
        #expect(model.generate([1, 2], config: settings, generator: Generator(seed: 4), useCache: true)
                == model.generate([1, 2], config: settings, generator: Generator(seed: 4), useCache: false))
    }
}
