import Foundation
import MiniTorch

/// The corpus of lesson 12 as token ids: Shakespeare's works, BPE-encoded with a 2,048-token
/// byte-level tokenizer trained on the training works, each work ended by `<|endoftext|>`.
/// Held out: two whole works (Julius Caesar, Twelfth Night), never seen in training.
public struct TokenCorpus: Sendable {
    public let tokenizer: ByteLevelBPETokenizer
    public let train: [Int]
    public let validation: [Int]
    /// Bytes of text each token stands for (0 for `<|endoftext|>`, which is no text): what turns
    /// nats per token into bits per byte.
    public let bytesPerTokenID: [Int]
    public let trainBytes: Int
    public let validationBytes: Int
    public let endOfText: Int

    public init(vocabSize: Int, directory: URL? = nil) throws {
        let corpus = try ShakespeareCorpus.load(from: directory)
        tokenizer = try ByteLevelBPETokenizer.train(corpus.works(.train).map(\.text), vocabSize: vocabSize,
                                                    specialTokens: [ByteLevelBPETokenizer.endOfText])
        train = corpus.tokenIDs(.train, tokenizer: tokenizer)
        validation = corpus.tokenIDs(.validation, tokenizer: tokenizer)
        endOfText = tokenizer.specialTokenID(ByteLevelBPETokenizer.endOfText)!
        let eot = endOfText
        bytesPerTokenID = tokenizer.tokenBytes.enumerated().map { $0.offset == eot ? 0 : $0.element.count }
        trainBytes = corpus.works(.train).reduce(0) { $0 + $1.text.count }
        validationBytes = corpus.works(.validation).reduce(0) { $0 + $1.text.count }
    }

    /// Bytes the tokens `ids` stand for.
    public func bytes(_ ids: some Sequence<Int>) -> Int { ids.reduce(0) { $0 + bytesPerTokenID[$1] } }
}

/// Next-token batches, as nanoGPT's `get_batch`: B random windows of T + 1 tokens; the inputs
/// are the first T, the targets the last T, so target t is the token after input t.
public struct Batch: Sendable {
    public let inputs: [Int]    // [B, T] row-major
    public let targets: [Int]   // [B, T]: inputs shifted left by one
    public let shape: [Int]

    public init(inputs: [Int], targets: [Int], shape: [Int]) { (self.inputs, self.targets, self.shape) = (inputs, targets, shape) }
}

// ANCHOR: batch
public func randomBatch(_ ids: [Int], batchSize: Int, context: Int, generator: Generator) -> Batch {
    // BEGIN SOLUTION ex13_4
    var inputs: [Int] = [], targets: [Int] = []
    for _ in 0..<batchSize {
        let start = generator.int(below: ids.count - context)   // window ids[start ... start + T]
        inputs += ids[start..<(start + context)]
        targets += ids[(start + 1)..<(start + context + 1)]     // shifted by one: predict the next token
    }
    return Batch(inputs: inputs, targets: targets, shape: [batchSize, context])
    // END SOLUTION
}
// ANCHOR_END: batch

/// The held-out set cut into consecutive windows (every token a target once), in batches.
public func evaluationBatches(_ ids: [Int], batchSize: Int, context: Int, limit: Int? = nil) -> [Batch] {
    let windows = (ids.count - 1) / context
    var batches: [Batch] = []
    var w = 0
    while w < windows && batches.count < (limit ?? .max) {
        let n = min(batchSize, windows - w)
        var inputs: [Int] = [], targets: [Int] = []
        for i in w..<(w + n) {
            inputs += ids[(i * context)..<((i + 1) * context)]
            targets += ids[(i * context + 1)..<((i + 1) * context + 1)]
        }
        batches.append(Batch(inputs: inputs, targets: targets, shape: [n, context]))
        w += n
    }
    return batches
}
