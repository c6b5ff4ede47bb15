import Testing
import MiniTorch
@testable import MaskedLanguageModeling

@Suite("Synthetic corpus")
struct SyntheticCorpusTests {
    let corpus = SyntheticCorpus(seed: 42)

    @Test func sameSeedSameSentencesAndOtherSeedOthers() {
        #expect(corpus.sentences(count: 500) == SyntheticCorpus(seed: 42).sentences(count: 500))
        #expect(corpus.sentences(count: 500) != SyntheticCorpus(seed: 43).sentences(count: 500))
        let s = corpus.sentences(count: 4000)
        #expect(s.count == 4000)
        #expect(Set(s).count > 500)   // varied, not a handful of sentences repeated
        #expect(s.allSatisfy { WordTokenizer.tokenize($0).count + 2 <= 32 })   // fits a 32-token model with <s> </s>
    }

    @Test func everyCapitalFactIsInTrainingAndTheUnseenFormNowhere() {
        let (train, validation) = corpus.split(count: 4000, validationFraction: 0.1)
        #expect(train.count + validation.count == 4000)
        #expect(validation.count == 400)
        let trainSet = Set(train)
        for c in SyntheticCorpus.countries {
            #expect(trainSet.contains("the capital of \(c.name) is \(c.capital) ."), "\(c.name)")
            #expect(!validation.contains("the capital of \(c.name) is \(c.capital) ."))
        }
        #expect(!(train + validation).contains { $0.contains("capital city") })
        // Every word of every demo prompt has its own token in a vocabulary built from training.
        let tokenizer = WordTokenizer(corpus: train)
        for (prompt, expected, _) in SyntheticCorpus.fillMaskPrompts {
            for word in WordTokenizer.tokenize(prompt) + [expected] { #expect(tokenizer.contains(word), "\(word)") }
        }
        #expect(corpus.split(count: 4000, validationFraction: 0.1).validation == validation)
    }

    @Test func subjectsAndVerbsAgreeInNumber() {
        let singular = Set(SyntheticCorpus.nouns.map(\.0)), plural = Set(SyntheticCorpus.nouns.map(\.1))
        let verbs = SyntheticCorpus.intransitiveVerbs + SyntheticCorpus.transitiveVerbs + [("is", "are")]
        let singularVerbs = Set(verbs.map(\.0)), pluralVerbs = Set(verbs.map(\.1))
        var checked = 0
        for sentence in corpus.sentences(count: 3000) {
            let words = sentence.split(separator: " ").map(String.init)
            guard let i = words.firstIndex(where: { singular.contains($0) || plural.contains($0) }), i + 1 < words.count else { continue }
            #expect(plural.contains(words[i]) ? pluralVerbs.contains(words[i + 1]) : singularVerbs.contains(words[i + 1]), "\(sentence)")
            checked += 1
        }
        #expect(checked > 1000)
    }

    @Test func factExamplesAreTrueOrFalseAsLabelled() {
        let examples = SyntheticCorpus.factExamples(seed: 7, count: 2000)
        let trueFacts = Set(SyntheticCorpus.countries.flatMap { c in SyntheticCorpus.factTemplates.map { SyntheticCorpus.fill($0, with: c) } })
        for (sentence, label) in examples { #expect(trueFacts.contains(sentence) == (label == 1), "\(sentence) \(label)") }
        let positives = examples.filter { $0.label == 1 }.count
        #expect(abs(positives - 1000) < 4 * 23)   // Binomial(2000, 0.5): sd ~ 22.4, 4 sigma
        #expect(SyntheticCorpus.factExamples(seed: 7, count: 50).map(\.sentence) == examples.prefix(50).map(\.sentence))
    }
}
