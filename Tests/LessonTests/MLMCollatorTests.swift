import Foundation
import Testing
@testable import MiniTorch
import MaskedLanguageModeling

/// Within `sigmas` standard deviations of a Binomial(n, p) count.
func withinBinomial(_ count: Int, n: Int, p: Double, sigmas: Double = 4) -> Bool {
    abs(Double(count) - Double(n) * p) <= sigmas * (Double(n) * p * (1 - p)).squareRoot()
}

@Suite("MLM collator")
struct MLMCollatorTests {
    static let sentences = SyntheticCorpus(seed: 42).sentences(count: 4000)
    static let tokenizer = WordTokenizer(corpus: sentences)
    static let sequences = sentences.map { tokenizer.encode($0, maxLength: 32) }

    @Test func selectsFifteenPercentAndSplitsThemEightyTenTen() {
        let collator = DataCollatorForLanguageModeling(tokenizer: Self.tokenizer, generator: Generator(seed: 1))
        let batch = collator(Self.sequences, maxLength: 32)
        let s = batch.statistics
        #expect(s.eligible == Self.sequences.reduce(0) { $0 + $1.count - 2 })   // all but <s> and </s>
        // Tolerance: 4 binomial standard deviations (a false alarm about once in 16,000 runs).
        #expect(withinBinomial(s.selected, n: s.eligible, p: 0.15), "selected \(s.selected) of \(s.eligible)")
        #expect(withinBinomial(s.masked, n: s.selected, p: 0.8), "masked \(s.masked) of \(s.selected)")
        #expect(withinBinomial(s.randomized, n: s.selected, p: 0.1), "random \(s.randomized) of \(s.selected)")
        #expect(withinBinomial(s.kept, n: s.selected, p: 0.1), "kept \(s.kept) of \(s.selected)")
        #expect(s.masked + s.randomized + s.kept == s.selected)
        #expect(collator.totalStatistics == s)
    }

    @Test func labelsMarkExactlyTheSelectedPositionsAndSpecialTokensAreNeverSelected() {
        let collator = DataCollatorForLanguageModeling(tokenizer: Self.tokenizer, generator: Generator(seed: 2))
        let seqs = Array(Self.sequences.prefix(1000))
        let batch = collator(seqs)
        let (original, attention, length) = DataCollatorForLanguageModeling.pad(seqs)
        #expect(batch.seqLength == length && batch.attentionMask == attention)
        var labelled = 0
        for i in 0..<original.count {
            if Self.tokenizer.isSpecial(original[i]) {   // <s>, </s>, <pad>: untouched, never labelled
                #expect(batch.labels[i] == -100 && batch.inputIds[i] == original[i])
            }
            if attention[i] == 0 { #expect(original[i] == WordTokenizer.padID) }
            if batch.labels[i] == -100 {
                #expect(batch.inputIds[i] == original[i])   // unselected tokens are never changed
            } else {
                labelled += 1
                #expect(batch.labels[i] == original[i])
                #expect(batch.inputIds[i] == WordTokenizer.maskID || !Self.tokenizer.isSpecial(batch.inputIds[i]))
            }
        }
        #expect(labelled == batch.statistics.selected)
    }

    @Test func masksAreDynamicAndSeeded() {
        let seqs = Array(Self.sequences.prefix(200))
        let a = DataCollatorForLanguageModeling(tokenizer: Self.tokenizer, generator: Generator(seed: 3))
        let first = a(seqs), second = a(seqs)
        #expect(first.labels != second.labels)   // a new mask every call
        let b = DataCollatorForLanguageModeling(tokenizer: Self.tokenizer, generator: Generator(seed: 3))
        #expect(b(seqs).inputIds == first.inputIds)
        #expect(b(seqs).labels == second.labels)
    }

    @Test func staticMaskingRepeatsTheSameMasks() {
        let seqs = Array(Self.sequences.prefix(500))
        let collator = DataCollatorForLanguageModeling(tokenizer: Self.tokenizer, generator: Generator(seed: 4))
        let once = StaticMasking(seqs, collator: collator)
        let indices = [3, 1, 4, 1, 5]
        #expect(once.batch(indices, epoch: 0).labels == once.batch(indices, epoch: 7).labels)
        #expect(withinBinomial(once.statistics.selected, n: once.statistics.eligible, p: 0.15))
        let twice = StaticMasking(seqs, collator: collator, duplicates: 2)
        #expect(twice.batch(Array(0..<100), epoch: 0).labels != twice.batch(Array(0..<100), epoch: 1).labels)
        #expect(twice.batch(Array(0..<100), epoch: 0).labels == twice.batch(Array(0..<100), epoch: 2).labels)
        let b = once.batch([0, 1], maxLength: 32)
        #expect(b.shape == [2, 32] && b.labels.count == 64 && b.inputIds.count == 64)
        #expect(b.statistics.eligible == seqs[0].count + seqs[1].count - 4)
    }

    @Test func padFillsWithPadIdAndMasksAttention() {
        let (ids, mask, length) = DataCollatorForLanguageModeling.pad([[0, 7, 2], [0, 2]], maxLength: 4)
        #expect(length == 4)
        #expect(ids == [0, 7, 2, 1, 0, 2, 1, 1])
        #expect(mask == [1, 1, 1, 0, 1, 1, 0, 0])
    }

    @Test func tooLongSequenceIsAnError() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = DataCollatorForLanguageModeling.pad([[0, 5, 6, 7, 2]], maxLength: 4)
        }.map { result in
            #expect(String(decoding: result.standardErrorContent, as: UTF8.self)
                == "error: DataCollatorForLanguageModeling.pad: a sequence has 5 tokens, more than maxLength 4; encode with maxLength to truncate\n")
        }
    }
}
