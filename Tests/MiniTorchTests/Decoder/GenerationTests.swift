import Foundation
import Testing
@testable import MiniTorch

@Suite("Generation")
struct GenerationTests {
    @Test func temperatureDividesTheScores() {
        #expect(TemperatureLogitsWarper(temperature: 0.5)([1, -2, 0.25]) == [2, -4, 0.5])
    }

    @Test func topKKeepsTiesWithTheKthScore() {
        let inf = -Float.infinity
        #expect(TopKLogitsWarper(topK: 2)([1, 3, 2, 0]) == [inf, 3, 2, inf])
        #expect(TopKLogitsWarper(topK: 2)([1, 3, 2, 2]) == [inf, 3, 2, 2])   // a tie with the 2nd: three survive
        #expect(TopKLogitsWarper(topK: 9)([1, 3]) == [1, 3])                  // k above the vocabulary keeps all
        #expect(TopKLogitsWarper(topK: 1, minTokensToKeep: 3)([1, 3, 2, 0]) == [1, 3, 2, inf])
    }

    @Test func topPRemovesTokensWhoseAscendingRunningSumIsAtMostOneMinusP() {
        let inf = -Float.infinity
        let logits = [0.1, 0.2, 0.3, 0.4].map { Float(log($0)) }   // probabilities 0.1 .. 0.4
        // ascending running sums 0.1, 0.3, 0.6, 1.0; with p = 0.7 remove sums <= 0.3
        #expect(TopPLogitsWarper(topP: 0.7)(logits).map { $0 == inf } == [true, true, false, false])
        // p = 0.75: the threshold 0.25 removes only the 0.1 token; 0.3 > 0.25 stays
        #expect(TopPLogitsWarper(topP: 0.75)(logits).map { $0 == inf } == [true, false, false, false])
        // p small: everything but the top token goes, unless minTokensToKeep protects more
        #expect(TopPLogitsWarper(topP: 0.01)(logits).map { $0 == inf } == [true, true, true, false])
        #expect(TopPLogitsWarper(topP: 0.01, minTokensToKeep: 2)(logits).map { $0 == inf } == [true, true, false, false])
        #expect(TopPLogitsWarper(topP: 1)(logits).allSatisfy { $0 != inf })
    }

    @Test func warpersApplyInHuggingFacesOrder() {
        let config = GenerationConfig(doSample: true, temperature: 0.7, topK: 5, topP: 0.9)
        let kinds = config.warpers.map { String(describing: type(of: $0)) }
        #expect(kinds == ["TemperatureLogitsWarper", "TopKLogitsWarper", "TopPLogitsWarper"])
        #expect(GenerationConfig(doSample: true, temperature: 1, topK: 0, topP: 1).warpers.isEmpty)
    }

    @Test func samplingFollowsTheProbabilitiesAndTheSeed() {
        let probabilities: [Float] = [0.5, 0, 0.3, 0.2]
        let g = Generator(seed: 1)
        var counts = [0, 0, 0, 0]
        for _ in 0..<20_000 { counts[sample(probabilities, generator: g)] += 1 }
        #expect(counts[1] == 0)
        for (c, p) in zip(counts, probabilities) { #expect(abs(Double(c) / 20_000 - Double(p)) < 0.015) }
        let a = (0..<50).map { _ in sample(probabilities, generator: Generator(seed: 3)) }
        #expect(Set(a).count == 1)   // the same seed, the same draw
    }

    static var model: GPT2LMHeadModel { GPT2LMHeadModel(config: GPT2Tests.small(positions: 24), generator: Generator(seed: 21)) }

    @Test(arguments: [false, true])
    func kvCacheGivesTheSameTokensAsFullRecomputation(_ doSample: Bool) {
        // 30 new tokens from a 5-token prompt run past nPositions (24), where the cache gives way.
        let config = GenerationConfig(maxNewTokens: 30, doSample: doSample, temperature: 1.3, topK: 0)
        let cached = Self.model.generate([1, 2, 3, 4, 5], config: config, generator: Generator(seed: 4), useCache: true)
        let uncached = Self.model.generate([1, 2, 3, 4, 5], config: config, generator: Generator(seed: 4), useCache: false)
        #expect(cached.count == 35 && cached == uncached)
    }

    @Test func cachedLogitsMatchTheFullForwardAtEveryPosition() {
        let ids = GPT2Tests.ids(20), model = Self.model.eval()
        let cache = KVCache(config: model.config)
        var steps = [model.forward(Array(ids[..<6]), cache: cache)]   // prefill 6, then one at a time
        for t in 6..<20 { steps.append(model.forward([ids[t]], cache: cache)) }
        let full = noGrad { model(inputIds: ids, shape: [1, 20]) }
        for (i, t) in (5..<20).enumerated() {
            let row = Array(full.scalars[(t * 23)..<((t + 1) * 23)])
            #expect(zip(row, steps[i]).allSatisfy { abs($0 - $1) <= 1e-5 }, "position \(t)")
        }
        #expect(cache.length == 20)
    }

    @Test func stopsAtTheEndOfTextToken() {
        let model = Self.model
        let greedy = model.generate([3, 4], config: GenerationConfig(maxNewTokens: 8))
        let first = greedy[2]
        let stopped = model.generate([3, 4], config: GenerationConfig(maxNewTokens: 8, eosTokenId: first))
        #expect(stopped == [3, 4, first])
    }
}
