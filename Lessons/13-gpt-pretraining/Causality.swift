import MiniTorch

/// What "causal" promises, checked: change the token at one position and no logit before it moves.
public struct CausalityCheck: Sendable {
    public let changedPosition: Int
    /// Largest |change| of any logit at positions before, and at or after, the changed token.
    public let largestChangeBefore: Float
    public let largestChangeAfter: Float
}

// ANCHOR: causality
public func checkCausality(_ model: GPT2LMHeadModel, corpus: TokenCorpus, context: Int) -> CausalityCheck {
    var ids = Array(corpus.validation.prefix(context))
    let position = context / 2
    let before = noGrad { model.eval()(inputIds: ids, shape: [1, context]).scalars }   // [1, T, vocab]
    ids[position] = (ids[position] + 1) % corpus.tokenizer.vocabSize                  // another token at T/2
    let after = noGrad { model(inputIds: ids, shape: [1, context]).scalars }
    let v = model.config.vocabSize
    let change = zip(before, after).map { abs($0 - $1) }
    return CausalityCheck(changedPosition: position,
                          largestChangeBefore: change[..<(position * v)].max() ?? 0,   // positions 0 ..< T/2
                          largestChangeAfter: change[(position * v)...].max() ?? 0)
}
// ANCHOR_END: causality
