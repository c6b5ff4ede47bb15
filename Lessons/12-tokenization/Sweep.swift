import Foundation
import MiniTorch

/// What one vocabulary size buys and costs.
public struct SweepPoint: Sendable {
    public var vocabSize: Int
    /// Bytes of held-out text per token: higher means shorter sequences.
    public var bytesPerToken: Double
    /// Parameters of the input embedding and of an untied output layer, each vocabSize x hidden.
    public var embeddingParameters: Int
    /// Tokens needed for `contextBytes` of text, and the attention scores they make (T x T per
    /// head and layer), the part of a transformer whose cost grows with the square of the length.
    public var tokensPerContext: Double
    public var attentionScores: Double
}

// ANCHOR: sweep
public func sweepPoint(_ tokenizer: ByteLevelBPETokenizer, heldOut: [[UInt8]], hiddenSize: Int, contextBytes: Int) -> SweepPoint {
    let bytes = heldOut.reduce(0) { $0 + $1.count }
    let tokens = heldOut.reduce(0) { $0 + tokenizer.encode(bytes: $1, allowSpecial: false).count }
    let bytesPerToken = Double(bytes) / Double(tokens)
    let length = Double(contextBytes) / bytesPerToken          // T for the same text
    return SweepPoint(vocabSize: tokenizer.vocabSize, bytesPerToken: bytesPerToken,
                      embeddingParameters: tokenizer.vocabSize * hiddenSize,
                      tokensPerContext: length, attentionScores: length * length)
}
// ANCHOR_END: sweep
