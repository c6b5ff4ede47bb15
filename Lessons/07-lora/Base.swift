import Foundation
import MiniTorch
import MaskedLanguageModeling

/// What lesson 06 left behind: the pretrained tiny RoBERTa with its MLM head, its tokenizer and
/// the validation sentences whose masked-word perplexity measures what it knows.
public struct PretrainedBase {
    public let model: RobertaForMaskedLM
    public let tokenizer: WordTokenizer
    public let validation: ValidationSet
    public let settings: PretrainingSettings

    public init(model: RobertaForMaskedLM, tokenizer: WordTokenizer, validation: ValidationSet, settings: PretrainingSettings) {
        self.model = model
        self.tokenizer = tokenizer
        self.validation = validation
        self.settings = settings
    }

    /// A classifier whose encoder starts as a copy of the pretrained one (the head is new and
    /// random), as `AutoModelForSequenceClassification.from_pretrained` does, with `dropout` in
    /// the encoder and before the head.
    public func classifier(seed: Int, numLabels: Int, dropout: Float = 0) -> RobertaForSequenceClassification {
        var config = self.model.config
        config.numLabels = numLabels
        config.hiddenDropoutProb = dropout
        config.attentionProbsDropoutProb = dropout
        let model = RobertaForSequenceClassification(config: config, generator: Generator(seed: UInt64(seed)))
        model.loadStateDict(self.model.stateDict().filter { $0.0.hasPrefix("roberta.") }, strict: false)
        return model
    }

    /// MLM perplexity with `encoder`'s weights under the pretrained MLM head: exp of the mean
    /// cross-entropy on lesson 06's masked validation sentences. LoRA adapters are merged into a
    /// copy (W + B A alpha / r), so `encoder` itself is not touched; with `adapters: false` they
    /// are left out, as PEFT's `disable_adapter()` does. The decoder is tied to the word
    /// embeddings, so it reads the encoder's.
    public func mlmPerplexity(encoder: RobertaForSequenceClassification, adapters: Bool = true) -> Double {
        let probe = RobertaForMaskedLM(config: model.config, generator: Generator(seed: 0))
        probe.loadStateDict(model.stateDict())                                               // the pretrained head
        let weights = encoder.stateDict()
            .filter { $0.0.hasPrefix("roberta.") && !$0.0.contains(".lora_") }
            .map { ($0.0.replacingOccurrences(of: ".base_layer.", with: "."), $0.1) }
        probe.loadStateDict(weights, strict: false)                                          // the tuned encoder
        let own = Dictionary(probe.namedParameters(), uniquingKeysWith: { a, _ in a })
        for (path, lora) in encoder.loraLayers() where adapters && !lora.merged {
            let w = own[path + ".weight"]!, delta = lora.deltaWeight()
            let wp = w.pointer, dp = delta.pointer
            for i in 0..<w.count { wp[i] += dp[i] }                                          // merge into the copy
        }
        return exp(validation.loss(of: probe))
    }

    /// The pretrained model's own MLM perplexity.
    public var mlmPerplexity: Double { exp(validation.loss(of: model)) }
}
