/// The sentence-classification head, as Hugging Face's `RobertaClassificationHead`: the vector
/// of the first token `<s>` (BERT's [CLS]) -> dropout -> dense -> tanh -> dropout -> out_proj.
///
/// Self-attention lets `<s>` gather from the whole sentence, so its final vector can stand for
/// the sentence; fine-tuning teaches it to.
public final class RobertaClassificationHead: Module {
    public let dense: Linear
    public let dropout: Dropout
    public let out_proj: Linear

    public init(config: RobertaConfig, generator: Generator) {
        dense = config.linear(config.hiddenSize, config.hiddenSize, generator: generator)
        dropout = Dropout(p: config.classifierDropout ?? config.hiddenDropoutProb, generator: generator)
        out_proj = config.linear(config.hiddenSize, config.numLabels, generator: generator)
        super.init()
    }

    public override func callAsFunction(_ features: Tensor) -> Tensor {
        let (b, h) = (features.shape[0], features.shape[2])
        var x = features.narrow(axis: 1, start: 0, length: 1).reshape([b, h])   // [B, T, H] -> [B, H], the <s> token
        x = dropout(x)
        x = dense(x).tanh()                                                     // [B, H]
        x = dropout(x)
        return out_proj(x)                                                      // [B, H] -> [B, numLabels]
    }
}

/// RoBERTa with a classification head, as `RobertaForSequenceClassification`: logits
/// [B, numLabels] per sentence, for `CrossEntropyLoss`.
public final class RobertaForSequenceClassification: Module {
    public let roberta: RobertaModel
    public let classifier: RobertaClassificationHead
    public var config: RobertaConfig { roberta.config }

    public init(config: RobertaConfig, generator: Generator) {
        roberta = RobertaModel(config: config, generator: generator)
        classifier = RobertaClassificationHead(config: config, generator: generator)
        super.init()
    }

    /// Token ids [B, T] -> logits [B, numLabels].
    public func callAsFunction(inputIds: [Int], attentionMask: [Int]? = nil, shape: [Int]) -> Tensor {
        classifier(roberta(inputIds: inputIds, attentionMask: attentionMask, shape: shape))   // [B, T, H] -> [B, numLabels]
    }
}
