import Foundation
import Testing
import MiniTorch

/// ex06_1: the 80/10/10 masking rule (Sources/MiniTorch/Data/MLMCollator.swift, the loop of
/// `DataCollatorForLanguageModeling.maskTokens`), as Hugging Face's `torch_mask_tokens`: every
/// ordinary token is selected with probability mlm_probability (0.15); a selected token gets its
/// original id as label (-100 elsewhere) and becomes `<mask>` 80% of the time, a random ordinary
/// token 10%, and stays as it was 10% (Devlin et al. 2019, section 3.1). Special tokens and
/// padding are never selected. The shares are checked within 4 standard deviations of a binomial
/// count, so any order of random draws passes.
@Suite("ex06_1: the 80/10/10 masking rule")
struct Ex06_1 {
    /// Five special tokens and 15 words: ids 0-4 special, 5-19 ordinary.
    static let words = (0..<15).map { "w\($0)" }
    static var tokenizer: WordTokenizer { WordTokenizer(vocabulary: WordTokenizer.specialTokens + words) }

    /// `count` sentences `<s> w... </s>` of 4 to 20 words, padded to one length.
    static func paddedIds(count: Int, seed: UInt64) -> [Int] {
        let g = Generator(seed: seed)
        let sequences = (0..<count).map { _ -> [Int] in
            let n = 4 + g.int(below: 17)
            return [WordTokenizer.bosID] + (0..<n).map { _ in 5 + g.int(below: 15) } + [WordTokenizer.eosID]
        }
        return DataCollatorForLanguageModeling.pad(sequences).ids
    }

    static func within(_ share: Double, _ p: Double, n: Int) -> Bool {
        abs(share - p) <= 4 * (p * (1 - p) / Double(n)).squareRoot()
    }

    @Test func specialTokensAndPaddingAreNeverSelected() {
        let ids = Self.paddedIds(count: 300, seed: 1)
        let collator = DataCollatorForLanguageModeling(tokenizer: Self.tokenizer, mlmProbability: 0.5, generator: Generator(seed: 2))
        let (inputs, labels, stats) = collator.maskTokens(ids)
        #expect(inputs.count == ids.count && labels.count == ids.count, "one input and one label per position")
        let specials = ids.indices.filter { ids[$0] < 5 }
        #expect(specials.contains { ids[$0] == WordTokenizer.padID }, "the test needs padding")
        let touched = specials.filter { labels[$0] != -100 || inputs[$0] != ids[$0] }
        #expect(touched.isEmpty, "\(touched.count) special or padding positions were selected or changed")
        #expect(stats.eligible == ids.count - specials.count, "eligible \(stats.eligible), expected \(ids.count - specials.count) ordinary tokens")
    }

    @Test func labelsHoldTheOriginalAtSelectedPositionsOnly() {
        let ids = Self.paddedIds(count: 300, seed: 3)
        let collator = DataCollatorForLanguageModeling(tokenizer: Self.tokenizer, generator: Generator(seed: 4))
        let (inputs, labels, stats) = collator.maskTokens(ids)
        let selected = ids.indices.filter { labels[$0] != -100 }
        #expect(selected.allSatisfy { labels[$0] == ids[$0] }, "a label must be the original token id")
        let changedUnlabelled = ids.indices.filter { labels[$0] == -100 && inputs[$0] != ids[$0] }
        #expect(changedUnlabelled.isEmpty, "\(changedUnlabelled.count) positions changed without a label")
        #expect(stats.selected == selected.count, "statistics.selected \(stats.selected), labelled positions \(selected.count)")
        #expect(stats.masked + stats.randomized + stats.kept == stats.selected, "masked + randomized + kept must be selected")
        #expect(stats.masked == selected.filter { inputs[$0] == WordTokenizer.maskID }.count, "statistics.masked counts the <mask> inputs")
    }

    /// 2,000 sentences: about 24,000 ordinary tokens, 3,600 selected.
    @Test func sharesAre15Then80_10_10() {
        let ids = Self.paddedIds(count: 2000, seed: 5)
        let collator = DataCollatorForLanguageModeling(tokenizer: Self.tokenizer, mlmProbability: 0.15, generator: Generator(seed: 6))
        let (inputs, labels, _) = collator.maskTokens(ids)
        let eligible = ids.filter { $0 >= 5 }.count
        let selected = ids.indices.filter { labels[$0] != -100 }
        let n = selected.count
        #expect(Self.within(Double(n) / Double(eligible), 0.15, n: eligible), "selected \(n) of \(eligible) ordinary tokens, expected 15%")
        let masked = selected.filter { inputs[$0] == WordTokenizer.maskID }.count
        let same = selected.filter { inputs[$0] == ids[$0] }.count
        let other = n - masked - same
        // A random token is the original one with chance 1/15, so "unchanged" is 10% + 10%/15.
        #expect(Self.within(Double(masked) / Double(n), 0.8, n: n), "<mask> share \(Double(masked) / Double(n)), expected 0.8")
        #expect(Self.within(Double(other) / Double(n), 0.1 * 14 / 15, n: n), "random-token share \(Double(other) / Double(n)), expected 0.0933")
        #expect(Self.within(Double(same) / Double(n), 0.1 + 0.1 / 15, n: n), "unchanged share \(Double(same) / Double(n)), expected 0.1067")
    }

    /// The random token comes from the ordinary words, all of them.
    @Test func randomTokensAreOrdinaryWords() {
        let ids = Self.paddedIds(count: 2000, seed: 7)
        let collator = DataCollatorForLanguageModeling(tokenizer: Self.tokenizer, mlmProbability: 0.5, generator: Generator(seed: 8))
        let (inputs, labels, _) = collator.maskTokens(ids)
        let replaced = ids.indices.filter { labels[$0] != -100 && inputs[$0] != WordTokenizer.maskID && inputs[$0] != ids[$0] }
        #expect(replaced.allSatisfy { (5..<20).contains(inputs[$0]) }, "a random replacement must be an ordinary token (ids 5-19), never special")
        #expect(Set(replaced.map { inputs[$0] }).count == 15, "the replacements should cover all 15 words, got \(Set(replaced.map { inputs[$0] }).sorted())")
    }

    @Test func probabilityZeroAndOne() {
        let ids = Self.paddedIds(count: 200, seed: 9)
        let none = DataCollatorForLanguageModeling(tokenizer: Self.tokenizer, mlmProbability: 0, generator: Generator(seed: 10)).maskTokens(ids)
        #expect(none.labels.allSatisfy { $0 == -100 } && none.inputIds == ids, "mlmProbability 0 selects nothing")
        let all = DataCollatorForLanguageModeling(tokenizer: Self.tokenizer, mlmProbability: 1, generator: Generator(seed: 11)).maskTokens(ids)
        let ordinary = ids.indices.filter { ids[$0] >= 5 }
        #expect(ordinary.allSatisfy { all.labels[$0] == ids[$0] }, "mlmProbability 1 selects every ordinary token")
        let masked = ordinary.filter { all.inputIds[$0] == WordTokenizer.maskID }.count
        #expect(Self.within(Double(masked) / Double(ordinary.count), 0.8, n: ordinary.count), "<mask> share \(Double(masked) / Double(ordinary.count)) with everything selected")
    }

    /// Dynamic masking: the same sentences masked twice get different masks.
    @Test func eachCallDrawsNewMasks() {
        let ids = Self.paddedIds(count: 50, seed: 12)
        let collator = DataCollatorForLanguageModeling(tokenizer: Self.tokenizer, generator: Generator(seed: 13))
        #expect(collator.maskTokens(ids).labels != collator.maskTokens(ids).labels, "two calls gave the same masks")
    }
}
