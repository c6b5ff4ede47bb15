import Foundation
import GPTPretraining
import MiniTorch

/// The model this lesson starts from: lesson 13's GPT and its tokenizer, as lesson 13 saved them.
public struct BaseModel: @unchecked Sendable {
    /// The pretrained GPT with its vocabulary grown by the two chat tokens.
    public let model: GPT2LMHeadModel
    public let template: ChatTemplate
    /// Where it was read from, and whether it had to be pretrained first.
    public let folder: URL
    public let pretrainedNow: Bool
}

/// Lesson 13's model folder for `settings`: read if it exists (lesson 13's default run saves one
/// to runs/13-gpt-pretraining/model), otherwise pretrained now with those settings, exactly as
/// lesson 13 pretrains (same seed, same steps, same model), and saved there for the next run.
/// A folder that exists but holds no model of lesson 13's sizes is an error, never overwritten.
public func loadBase(_ settings: GPTPretraining.Settings, folder: URL, progress: (Int) -> Void = { _ in }) throws -> BaseModel {
    var pretrainedNow = false
    if !FileManager.default.fileExists(atPath: folder.path) {
        let corpus = try TokenCorpus(vocabSize: settings.vocabSize, directory: settings.corpusDirectory)
        var quick = settings
        quick.maxEvalSamples = 1   // this lesson scores the base itself: one batch, not lesson 13's final pass over all
        let run = pretrain(quick, corpus: corpus, progress: progress)   // lesson 13's loop, its model unchanged
        try run.model.savePretrained(folder, generationConfig: GenerationConfig(maxNewTokens: settings.nPositions - 4, eosTokenId: corpus.endOfText,
                                                                                bosTokenId: corpus.endOfText)) { dir in
            try corpus.tokenizer.save(to: dir.appendingPathComponent("tokenizer.json"))
        }
        pretrainedNow = true
    }
    let (model, tokenizer): (GPT2LMHeadModel, ByteLevelBPETokenizer)
    do {
        (model, tokenizer) = try readBase(folder, expecting: settings.modelConfig)
    } catch {
        throw SafetensorsError("\(folder.relativePath) holds no model of lesson 13's (\(error)); run lesson-13-gpt-pretraining again, or pass --base-model with another folder")
    }
    let template = try ChatTemplate(base: tokenizer)
    return BaseModel(model: resizeTokenEmbeddings(model, to: template.tokenizer.vocabSize), template: template,
                     folder: folder, pretrainedNow: pretrainedNow)
}

private func readBase(_ folder: URL, expecting config: GPT2Config) throws -> (GPT2LMHeadModel, ByteLevelBPETokenizer) {
    let model = try GPT2LMHeadModel.fromPretrained(folder)
    let mine = model.config
    guard mine.vocabSize == config.vocabSize, mine.nEmbd == config.nEmbd, mine.nLayer == config.nLayer,
          mine.nHead == config.nHead, mine.nPositions == config.nPositions else {
        throw SafetensorsError("\(folder.path) holds a GPT of other sizes than lesson 13's settings")
    }
    return (model, try ByteLevelBPETokenizer.load(from: folder.appendingPathComponent("tokenizer.json")))
}

// ANCHOR: resize
/// `model.resize_token_embeddings(n)`: a model whose embedding (and tied LM head) has `n` rows,
/// the old rows copied and each new row set to the mean of the old ones, as torchtune's
/// `resize_token_embeddings` and Alpaca's `smart_tokenizer_and_embedding_resize` do
/// (transformers' `mean_resizing` draws around that mean instead). A random row would give the
/// new token a logit unlike any other; the mean starts it among them.
///
/// With the head tied, the new token's logit is h . mean(rows) = the mean of the old tokens'
/// logits, which can never be the largest: until its row moves, greedy decoding never writes it.
/// A LoRA that leaves `wte` and `lm_head` frozen therefore never learns to stop (chapter, "What
/// goes wrong").
public func resizeTokenEmbeddings(_ model: GPT2LMHeadModel, to n: Int) -> GPT2LMHeadModel {
    var config = model.config
    let (old, h) = (config.vocabSize, config.nEmbd)
    if n == old { return model }
    config.vocabSize = n
    let resized = GPT2LMHeadModel(config: config, generator: Generator(seed: 0))
    let source = Dictionary(uniqueKeysWithValues: model.namedParameters())
    noGrad {
        for (name, p) in resized.namedParameters() {
            let from = source[name]!
            if name != "transformer.wte.weight" { p.copyFrom(from); continue }
            let (dst, src) = (p.pointer, from.pointer)
            dst.update(from: src, count: min(old, n) * h)                           // [old, H] rows kept
            var mean = [Float](repeating: 0, count: h)
            for r in 0..<old { for j in 0..<h { mean[j] += src[r * h + j] / Float(old) } }
            for r in old..<max(n, old) { (dst + r * h).update(from: mean, count: h) }   // [n - old, H] new rows
        }
    }
    return resized
}
// ANCHOR_END: resize

/// An independent copy of `model` (every method starts from the same base).
public func copyModel(_ model: GPT2LMHeadModel) -> GPT2LMHeadModel {
    let copy = GPT2LMHeadModel(config: model.config, generator: Generator(seed: 0))
    let source = Dictionary(uniqueKeysWithValues: model.namedParameters())
    noGrad { for (name, p) in copy.namedParameters() { p.copyFrom(source[name]!) } }
    return copy
}
