import Foundation
import MiniTorch

/// How much of the model learns.
public enum Method: Sendable, Equatable {
    /// Every weight of the encoder (word embeddings included, as Hugging Face does) and the head.
    case full
    /// Adapters on the layers `config.targetModules` names; the head (`modulesToSave`) in full.
    case lora(LoRAConfig)

    public var name: String {
        switch self {
        case .full: return "full fine-tune"
        case .lora(let c): return "LoRA r=\(c.r) \(c.targetModules == Method.allLinear ? "all linear" : c.targetModules.joined(separator: "/"))"
        }
    }

    /// The six linear layers of each encoder layer, by the suffixes PEFT would use.
    public static let allLinear = ["query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense"]

    /// LoRA with alpha = 2r (or the given `alpha`; rsLoRA's alpha / sqrt(r) when `useRslora`) and
    /// `dropout` on the adapters' input, the classification head trained in full.
    public static func lora(r: Int, alpha: Float? = nil, useRslora: Bool = false, targets: [String] = ["query", "value"],
                            dropout: Float = FineTuneSettings().loraDropout) -> Method {
        .lora(LoRAConfig(r: r, loraAlpha: alpha ?? Float(2 * r), loraDropout: dropout, targetModules: targets,
                         modulesToSave: ["classifier"], useRslora: useRslora))
    }

    public var loraConfig: LoRAConfig? {
        if case .lora(let c) = self { return c }
        return nil
    }
}

/// The fine-tuning run's settings, with Hugging Face's names.
public struct FineTuneSettings: Sendable, Equatable {
    public var numTrainEpochs = 12
    public var perDeviceTrainBatchSize = 32
    /// Full fine-tuning moves every pretrained weight, so it takes a smaller rate than LoRA,
    /// whose B starts at zero and whose update is scaled by alpha / r (LoRA is usually run at
    /// rates around ten times those of full fine-tuning, and Biderman et al. advise the highest
    /// rate that still trains stably).
    public var fullLearningRate: Float = 1e-4
    public var loraLearningRate: Float = 2e-3
    public var weightDecay: Float = 0.01
    public var warmupRatio = 0.1
    public var trainExamples = 800
    public var validationExamples = 400
    public var seed = 42
    /// Dropout in the encoder and before the head while fine-tuning, Hugging Face's
    /// `hidden_dropout_prob` and `attention_probs_dropout_prob` (0.1 in RoBERTa's config, and
    /// in most fine-tuning recipes). Lesson 06 pretrained without it.
    public var dropout: Float = 0.1
    /// PEFT's `lora_dropout`: dropout on the adapters' input only (0.05 to 0.1 in most recipes).
    public var loraDropout: Float = 0.1
    /// Freezes the word embeddings in a full fine-tune (Hugging Face trains them; LoRA never
    /// touches them, and they double as the MLM decoder's weights).
    public var freezeEmbeddings = false
    /// Accuracy and MLM perplexity are measured every `evalSteps` updates (and at step 0 and the end).
    public var evalSteps = 50

    public init() {}

    public func learningRate(_ method: Method) -> Float {
        if case .full = method { return fullLearningRate }
        return loraLearningRate
    }

    public func totalSteps(trainExamples n: Int) -> Int {
        numTrainEpochs * ((n + perDeviceTrainBatchSize - 1) / perDeviceTrainBatchSize)
    }
}

/// One evaluation during a fine-tune.
public struct FineTuneLogRow: Sendable, Equatable {
    public let step: Int
    public let epoch: Double
    /// Validation accuracy of the task.
    public let accuracy: Double
    /// MLM perplexity of lesson 06's validation set with the tuned encoder (adapters merged in).
    public let perplexity: Double
}

/// One fine-tune and everything the lesson measures about it.
public struct FineTuneResult {
    public let method: Method
    public let learningRate: Float
    public let model: RobertaForSequenceClassification
    /// Evaluations from step 0 (the pretrained encoder, a random head) to the end.
    public let log: [FineTuneLogRow]
    /// Mean training loss of each epoch.
    public let trainLossByEpoch: [Double]
    public let trainableParameters: Int
    public let allParameters: Int
    /// LoRA's parameters by the formula, r x (d_in + d_out) summed over the adapted matrices
    /// (0 for a full fine-tune), and how many matrices were adapted.
    public let adapterParameters: Int
    public let adaptedMatrices: Int
    /// Bytes of optimizer state (AdamW's exp_avg and exp_avg_sq), counted from the tensors.
    public let optimizerStateBytes: Int
    /// The most bytes of tensor storage one update allocated (activations, gradients and the
    /// optimizer state, which the first update creates), measured by the memory ledger.
    public let peakTrainingBytes: Int

    public var accuracy: Double { log.last!.accuracy }
    public var perplexity: Double { log.last!.perplexity }
    public var trainableShare: Double { Double(trainableParameters) / Double(allParameters) }
}

/// Fine-tunes a copy of the pretrained encoder on the task with `method` at `learningRate`
/// (the settings' rate for the method when nil). `progress` hears (step, total steps).
public func fineTune(_ base: PretrainedBase, task: FactTask, method: Method, settings s: FineTuneSettings,
                     learningRate: Float? = nil, progress: (Int, Int) -> Void = { _, _ in }) -> FineTuneResult {
    let lr = learningRate ?? s.learningRate(method)
    // ANCHOR: setup
    let model = base.classifier(seed: s.seed, numLabels: task.numLabels, dropout: s.dropout)   // pretrained encoder, new head
    if let config = method.loraConfig {
        getPeftModel(model, config, generator: Generator(seed: UInt64(s.seed) &+ 1))   // freeze all, add adapters, head trainable
    } else if s.freezeEmbeddings {
        model.roberta.embeddings.word_embeddings.freeze()
    }
    let trainable = model.namedParameters().filter { $0.1.requiresGrad }     // all of them, or adapters + head
    let (adapterParameters, adaptedMatrices) = (loraParameterFormula(model), model.loraLayers().count)
    let decay = decayParameterNames(model)
    let optimizer = ParameterGroups([
        AdamW(parameters: trainable.filter { decay.contains($0.0) }.map(\.1), learningRate: lr, weightDecay: s.weightDecay),
        AdamW(parameters: trainable.filter { !decay.contains($0.0) }.map(\.1), learningRate: lr, weightDecay: 0),
    ])
    // ANCHOR_END: setup
    let lossFunction = CrossEntropyLoss()
    let batches = (task.train.count + s.perDeviceTrainBatchSize - 1) / s.perDeviceTrainBatchSize
    let total = s.totalSteps(trainExamples: task.train.count)
    let schedule = getScheduler(.linear, learningRate: lr, numWarmupSteps: Int((Double(total) * s.warmupRatio).rounded()),
                                numTrainingSteps: total)
    var log: [FineTuneLogRow] = []
    func evaluate(_ step: Int) {
        log.append(FineTuneLogRow(step: step, epoch: Double(step) / Double(batches), accuracy: accuracy(model, on: task.validation),
                                  perplexity: base.mlmPerplexity(encoder: model)))
    }
    evaluate(0)
    var losses: [Double] = []
    let g = Generator(seed: UInt64(s.seed) &+ 2)
    var step = 0, peak = 0
    model.train()
    for _ in 0..<s.numTrainEpochs {
        let order = g.permutation(task.train.count).map { task.train[$0] }
        var sum = 0.0
        for start in stride(from: 0, to: order.count, by: s.perDeviceTrainBatchSize) {
            let b = FactTask.batch(order[start..<min(start + s.perDeviceTrainBatchSize, order.count)])
            optimizer.learningRate = schedule.lr(at: step)
            // The ledger counts what one update allocates: activations, gradients and (on the
            // first update) the optimizer state.
            let (loss, bytes) = MemoryLedger.measure { () -> Float in
                let loss = lossFunction(model(inputIds: b.ids, attentionMask: b.mask, shape: b.shape), b.labels)   // [B, 5] vs [B]
                optimizer.zeroGrad()
                loss.backward()
                optimizer.step()
                return loss.item()
            }
            peak = max(peak, bytes)
            sum += Double(loss)
            step += 1
            progress(step, total)
            if step % s.evalSteps == 0 && step != total { evaluate(step) }
        }
        losses.append(sum / Double(batches))
    }
    evaluate(step)
    model.eval()
    let (t, all) = model.trainableParameterCounts()
    return FineTuneResult(method: method, learningRate: lr, model: model, log: log, trainLossByEpoch: losses,
                          trainableParameters: t, allParameters: all, adapterParameters: adapterParameters,
                          adaptedMatrices: adaptedMatrices, optimizerStateBytes: optimizer.stateBytes,
                          peakTrainingBytes: peak)
}
