import Testing
@testable import MiniTorch

@Suite("Word tokenizer")
struct WordTokenizerTests {
    let corpus = ["The capital of France is Paris.", "the capital of italy is rome .", "Paris is big!"]

    @Test func specialTokensHaveRobertaIDs() {
        let t = WordTokenizer(corpus: corpus)
        #expect(Array(t.vocabulary.prefix(5)) == ["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
        #expect(t.tokenID("<s>") == 0 && t.tokenID("<pad>") == 1 && t.tokenID("</s>") == 2)
        #expect(t.tokenID("<unk>") == 3 && t.tokenID("<mask>") == 4)
        #expect((0..<5).allSatisfy(t.isSpecial) && !t.isSpecial(5))
    }

    @Test func vocabularyIsSortedByFrequencyThenAlphabet() {
        let t = WordTokenizer(corpus: corpus)
        // is: 3; the, capital, of, paris, ".": 2 (a-z: ".", capital, of, paris, the); the other 5 once.
        #expect(Array(t.vocabulary.dropFirst(5).prefix(6)) == ["is", ".", "capital", "of", "paris", "the"])
        #expect(t.vocabSize == 5 + 11)
        let frequent = WordTokenizer(corpus: corpus, minFrequency: 2)
        #expect(frequent.vocabSize == 5 + 6)
        #expect(WordTokenizer(corpus: corpus, maxVocabSize: 7).vocabulary.suffix(2) == ["is", "."])
    }

    @Test func encodeDecodeRoundTrip() {
        let t = WordTokenizer(corpus: corpus)
        let ids = t.encode("The capital of France is <mask> .")
        #expect(ids.first == 0 && ids.last == 2)
        #expect(ids.count == 9)
        #expect(ids[6] == WordTokenizer.maskID)
        #expect(t.decode(ids) == "<s> the capital of france is <mask> . </s>")
        #expect(t.decode(ids, skipSpecialTokens: true) == "the capital of france is .")
        #expect(t.encode("Paris is big!", addSpecialTokens: false).map(t.token) == ["paris", "is", "big", "!"])
        #expect(t.encode("berlin") == [0, WordTokenizer.unkID, 2])
        // Truncation keeps </s>; padding fills with <pad>.
        #expect(t.encode("the capital of france is paris", maxLength: 4) == [0, t.tokenID("the"), t.tokenID("capital"), 2])
        #expect(t.encode("paris", maxLength: 6, padding: true) == [0, t.tokenID("paris"), 2, 1, 1, 1])
        // A vocabulary restores the same tokenizer.
        #expect(WordTokenizer(vocabulary: t.vocabulary).encode("rome is big") == t.encode("rome is big"))
    }
}
