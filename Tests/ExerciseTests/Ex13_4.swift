import Testing
import MiniTorch
import GPTPretraining

/// ex13_4 (bug museum): targets shifted by one (Lessons/13-gpt-pretraining/Corpus.swift,
/// `randomBatch`). Each window of T + 1 tokens gives the inputs (its first T) and the targets (its
/// last T): target t is the token after input t. With the targets equal to the inputs the loss
/// falls to near zero (copying is easy) and the model generates nothing useful.
@Suite("ex13_4: targets shifted by one")
struct Ex13_4 {
    @Test func targetsAreTheNextTokens() {
        let ids = Array(100..<400)
        let batch = randomBatch(ids, batchSize: 5, context: 16, generator: Generator(seed: 1))
        #expect(batch.shape == [5, 16] && batch.inputs.count == 80 && batch.targets.count == 80)
        for i in 0..<80 { #expect(batch.targets[i] == batch.inputs[i] + 1, "target \(i) must be the token after input \(i)") }
        for row in 0..<5 {   // each row is one contiguous window of the corpus
            let r = batch.inputs[(row * 16)..<((row + 1) * 16)]
            #expect(zip(r, r.dropFirst()).allSatisfy { $1 == $0 + 1 })
        }
    }

    @Test func windowsComeFromTheWholeCorpusAndTheSeed() {
        let ids = Array(0..<1000)
        let a = randomBatch(ids, batchSize: 64, context: 8, generator: Generator(seed: 2))
        let b = randomBatch(ids, batchSize: 64, context: 8, generator: Generator(seed: 2))
        #expect(a.inputs == b.inputs)
        #expect(a.targets.max()! <= 999 && Set(a.inputs.enumerated().filter { $0.offset % 8 == 0 }.map(\.element)).count > 40)
    }
}
