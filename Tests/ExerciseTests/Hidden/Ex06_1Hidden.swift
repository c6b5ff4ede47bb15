import Testing
import MiniTorch

/// ex06_1, hidden: another probability, and a vocabulary of a single ordinary word.
@Suite("ex06_1 (hidden): other probabilities and vocabularies")
struct Ex06_1Hidden {
    @Test func probabilityThirty() {
        let tokenizer = WordTokenizer(vocabulary: WordTokenizer.specialTokens + (0..<40).map { "v\($0)" })
        let g = Generator(seed: 21)
        let ids = (0..<20_000).map { i in i % 10 == 0 ? WordTokenizer.padID : 5 + g.int(below: 40) }
        let (inputs, labels, _) = DataCollatorForLanguageModeling(tokenizer: tokenizer, mlmProbability: 0.3, generator: Generator(seed: 22)).maskTokens(ids)
        let eligible = ids.filter { $0 >= 5 }.count
        let selected = ids.indices.filter { labels[$0] != -100 }
        let share = Double(selected.count) / Double(eligible)
        #expect(abs(share - 0.3) < 4 * (0.3 * 0.7 / Double(eligible)).squareRoot(), "selected share \(share), expected 0.3")
        let masked = Double(selected.filter { inputs[$0] == WordTokenizer.maskID }.count) / Double(selected.count)
        #expect(abs(masked - 0.8) < 4 * (0.16 / Double(selected.count)).squareRoot(), "<mask> share \(masked)")
        #expect(selected.allSatisfy { ids[$0] != WordTokenizer.padID }, "padding selected")
    }

    /// With one ordinary word, a random replacement can only be that word.
    @Test func singleWordVocabulary() {
        let tokenizer = WordTokenizer(vocabulary: WordTokenizer.specialTokens + ["only"])
        let ids = [WordTokenizer.bosID] + [Int](repeating: 5, count: 500) + [WordTokenizer.eosID]
        let (inputs, labels, stats) = DataCollatorForLanguageModeling(tokenizer: tokenizer, mlmProbability: 1, generator: Generator(seed: 23)).maskTokens(ids)
        #expect(inputs.allSatisfy { $0 == 5 || $0 == WordTokenizer.maskID || $0 == WordTokenizer.bosID || $0 == WordTokenizer.eosID })
        #expect(labels.first == -100 && labels.last == -100 && stats.selected == 500, "selected \(stats.selected)")
        #expect(stats.randomized > 0 && stats.kept > 0, "randomized \(stats.randomized), kept \(stats.kept)")
    }
}
