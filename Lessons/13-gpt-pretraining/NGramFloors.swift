import Foundation

/// Two models that know nothing of context beyond one token, as floors a transformer must beat:
/// a unigram model (how often each token occurs) and a bigram model (which token follows
/// which), both counted on the training tokens and scored on the held-out ones.
public struct NGramFloors: Sendable {
    public let unigramNats: Double   // mean -ln p per held-out token
    public let bigramNats: Double

    /// Unigram with add-one smoothing, p(b) = (c(b) + 1) / (N + V). Bigram with the unigram as
    /// a prior (Dirichlet / MacKay-Peto smoothing), p(b | a) = (c(a, b) + alpha p(b)) / (c(a) + alpha),
    /// so a pair never seen in training still gets its unigram share.
    // ANCHOR: floors
    public init(train: [Int], heldOut: [Int], vocabSize v: Int, alpha: Double = 10) {
        var unigram = [Double](repeating: 1, count: v)               // add-one
        for t in train { unigram[t] += 1 }
        let total = Double(train.count + v)
        let p = unigram.map { $0 / total }
        var pairs: [Int: Double] = [:], first = [Double](repeating: 0, count: v)
        for (a, b) in zip(train, train.dropFirst()) { pairs[a * v + b, default: 0] += 1; first[a] += 1 }
        var uni = 0.0, bi = 0.0
        for (a, b) in zip(heldOut, heldOut.dropFirst()) {            // every held-out token after the first
            uni -= log(p[b])
            bi -= log(((pairs[a * v + b] ?? 0) + alpha * p[b]) / (first[a] + alpha))
        }
        let n = Double(heldOut.count - 1)
        unigramNats = uni / n
        bigramNats = bi / n
    }
    // ANCHOR_END: floors
}

/// Nats per token -> bits per byte: total nats / ln 2 / bytes of text.
public func bitsPerByte(natsPerToken: Double, tokens: Int, bytes: Int) -> Double {
    natsPerToken * Double(tokens) / log(2) / Double(bytes)
}
