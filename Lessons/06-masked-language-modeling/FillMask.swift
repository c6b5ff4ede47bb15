import Foundation
import MiniTorch

/// One guess of the fill-mask pipeline: a word and the probability the model gives it.
public struct FillMaskGuess: Sendable, Equatable {
    public let token: String
    public let probability: Double
}

/// Hugging Face's `pipeline("fill-mask")`, for one `<mask>`: the `topK` most probable words
/// for the blank, with their probabilities (softmax over the whole vocabulary at that position).
// ANCHOR: fill-mask
public func fillMask(_ prompt: String, model: RobertaForMaskedLM, tokenizer: WordTokenizer, topK: Int = 5) -> [FillMaskGuess] {
    let ids = tokenizer.encode(prompt)                                     // <s> the capital ... <mask> . </s>
    guard let position = ids.firstIndex(of: WordTokenizer.maskID) else {
        fail("fillMask: the prompt \"\(prompt)\" has no <mask>")
    }
    model.eval()                                                           // no dropout
    let logits = noGrad { model(inputIds: ids, shape: [1, ids.count]) }    // [1, T, vocab]
    let vocab = tokenizer.vocabSize
    let row = logits.reshape([ids.count, vocab]).narrow(axis: 0, start: position, length: 1)   // [1, vocab]
    let probabilities = row.softmax(axis: -1).scalars                      // [vocab]
    return probabilities.indices
        .sorted { probabilities[$0] > probabilities[$1] }
        .prefix(topK)
        .map { FillMaskGuess(token: tokenizer.token($0), probability: Double(probabilities[$0])) }
}
// ANCHOR_END: fill-mask

/// The demo's prompts, each with its guesses.
public struct FillMaskResult: Sendable {
    public let prompt: String
    public let expected: String
    /// Whether the prompt's phrasing occurs in the training text ("the capital city of ..." does not).
    public let seenForm: Bool
    public let guesses: [FillMaskGuess]
    /// Where `expected` ranks (1 = first), or nil if it is not in the top k.
    public var rank: Int? { guesses.firstIndex { $0.token == expected }.map { $0 + 1 } }
}

/// Runs `fillMask` on every prompt of `SyntheticCorpus.fillMaskPrompts`.
public func fillMaskDemo(model: RobertaForMaskedLM, tokenizer: WordTokenizer, topK: Int = 5) -> [FillMaskResult] {
    SyntheticCorpus.fillMaskPrompts.map { p in
        FillMaskResult(prompt: p.prompt, expected: p.expected, seenForm: p.seenForm,
                       guesses: fillMask(p.prompt, model: model, tokenizer: tokenizer, topK: topK))
    }
}

/// The demo's guesses as JSON (prompt, tokens, probabilities), for a check outside Swift:
/// `make interop` runs Hugging Face's fill-mask pipeline on the saved `model/` and compares.
public func writeFillMaskJSON(_ results: [FillMaskResult], to url: URL) throws {
    let rows: [[String: Any]] = results.map { r in
        ["prompt": r.prompt, "tokens": r.guesses.map(\.token), "probabilities": r.guesses.map(\.probability)]
    }
    try AtomicFile.write(ConfigJSON.encode(["fill_mask": rows]), to: url)
}
