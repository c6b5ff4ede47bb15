import Foundation
import MiniTorch

/// A unigram model's loss under one tokenizer: per token, and per byte.
public struct UnigramLoss: Sendable {
    public var vocabSize: Int
    public var natsPerToken: Double
    public var bytesPerToken: Double
    public var bitsPerByte: Double
}

/// Bits per byte: a loss in nats per token, turned into bits (divide by ln 2) and spread over the
/// bytes a token stands for. It measures the same thing (how well the model predicts the text)
/// whatever the tokenizer, so it compares models that tokenise differently.
// ANCHOR: bits-per-byte
public func bitsPerByte(natsPerToken: Double, bytesPerToken: Double) -> Double {
    natsPerToken / log(2) / bytesPerToken
}
// ANCHOR_END: bits-per-byte

/// The simplest language model, token frequencies from the training text (add-one smoothing),
/// scored by cross-entropy on held-out text: enough to show what per-token losses hide.
public func unigramLoss(_ tokenizer: ByteLevelBPETokenizer, training: [[UInt8]], heldOut: [[UInt8]]) -> UnigramLoss {
    var counts = [Double](repeating: 1, count: tokenizer.vocabSize)
    for text in training { for id in tokenizer.encode(bytes: text, allowSpecial: false) { counts[id] += 1 } }
    let total = counts.reduce(0, +)
    var nats = 0.0, tokens = 0, bytes = 0
    for text in heldOut {
        let ids = tokenizer.encode(bytes: text, allowSpecial: false)
        for id in ids { nats -= log(counts[id] / total) }
        tokens += ids.count
        bytes += text.count
    }
    let perToken = nats / Double(tokens), bytesPerToken = Double(bytes) / Double(tokens)
    return UnigramLoss(vocabSize: tokenizer.vocabSize, natsPerToken: perToken, bytesPerToken: bytesPerToken,
                       bitsPerByte: bitsPerByte(natsPerToken: perToken, bytesPerToken: bytesPerToken))
}
