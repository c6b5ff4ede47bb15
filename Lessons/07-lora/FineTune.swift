import Foundation
import MiniTorch

/// How much of the model learns.
public enum Method: Sendable, Equatable {
    /// Every weight of the encoder and the head.
    case full
    /// Adapters on the layers `config.targetModules` names; the head (`modulesToSave`) in full.
    case lora(LoRAConfig)

    public var name: String {
        switch self {
        case .full: return "full fine-tune"
        case .lora(let c): return "LoRA r=\(c.r) on \(c.targetModules == Method.allLinear ? "all linear" : c.targetModules.joined(separator: "/"))"
        }
    }

    /// The six linear layers of each encoder layer, by the suffixes PEFT would use.
    public static let allLinear = ["query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense"]

    /// LoRA with alpha = 2r, the classification head trained in full.
    public static func lora(r: Int, targets: [String] = ["query", "value"]) -> Method {
        .lora(LoRAConfig(r: r, loraAlpha: Float(2 * r), loraDropout: 0, targetModules: targets, modulesToSave: ["classifier"]))
    }
}

/// The fine-tuning run's settings, with Hugging Face's names.
public struct FineTuneSettings: Sendable, Equatable {
    public var numTrainEpochs = 3
    public var perDeviceTrainBatchSize = 32
    /// Full fine-tuning moves every pretrained weight, so it takes a smaller rate than LoRA,
    /// whose B starts at zero and whose update is scaled by alpha / r (as in the LoRA paper,
    /// where adapters use rates around 10x those of full fine-tuning).
    public var fullLearningRate: Float = 1e-4
    public var loraLearningRate: Float = 1e-3
    public var weightDecay: Float = 0.01
    public var trainExamples = 2000
    public var validationExamples = 500
    public var seed = 42
    /// Dropout during fine-tuning (the pretrained config's 0.1); off makes the tiny runs steadier.
    public var dropout = true

    public init() {}

    public func learningRate(_ method: Method) -> Float {
        if case .full = method { return fullLearningRate }
        return loraLearningRate
    }
}

/// One fine-tune and everything the lesson measures about it.
public struct FineTuneResult {
    public let method: Method
    public let model: RobertaForSequenceClassification
    /// Validation accuracy after each epoch (index 0: before training).
    public let accuracyByEpoch: [Double]
    /// MLM perplexity of the encoder after each epoch (index 0: the pretrained model).
    public let perplexityByEpoch: [Double]
    /// Mean training loss of each epoch.
    public let trainLossByEpoch: [Double]
    public let trainableParameters: Int
    public let allParameters: Int
    /// Bytes of optimizer state (Adam's exp_avg and exp_avg_sq), counted from the tensors.
    public let optimizerStateBytes: Int
    /// Peak bytes of tensor storage allocated during training (gradients, optimizer state,
    /// activations), measured by the memory ledger.
    public let peakTrainingBytes: Int

    public var accuracy: Double { accuracyByEpoch.last! }
    public var trainableShare: Double { Double(trainableParameters) / Double(allParameters) }
}

// ANCHOR: fine-tune
/// Fine-tunes a copy of the pretrained encoder on the fact task with `method`.
public func fineTune(_ base: PretrainedBase, task: FactTask, method: Method, settings s: FineTuneSettings) -> FineTuneResult {
    let model = base.classifier(seed: s.seed, numLabels: task.numLabels)                       // pretrained encoder, new head
    if case .lora(let config) = method {
        getPeftModel(model, config, generator: Generator(seed: UInt64(s.seed) &+ 1))   // freeze, add adapters
    }
    let trainable = model.namedParameters().filter { $0.1.requiresGrad }   // what the optimizer sees
    let decay = decayParameterNames(model)
    let optimizer = ParameterGroups([
        AdamW(parameters: trainable.filter { decay.contains($0.0) }.map(\.1), learningRate: s.learningRate(method), weightDecay: s.weightDecay),
        AdamW(parameters: trainable.filter { !decay.contains($0.0) }.map(\.1), learningRate: s.learningRate(method), weightDecay: 0),
    ])
    // ANCHOR_END: fine-tune
    let lossFunction = CrossEntropyLoss()
    let batches = (task.train.count + s.perDeviceTrainBatchSize - 1) / s.perDeviceTrainBatchSize
    let schedule = getScheduler(.linear, learningRate: s.learningRate(method), numWarmupSteps: batches / 2,
                                numTrainingSteps: batches * s.numTrainEpochs)
    var accuracies = [accuracy(model, on: task.validation)]
    var perplexities = [base.mlmPerplexity(encoder: model)]
    var losses: [Double] = []
    let g = Generator(seed: UInt64(s.seed) &+ 2)
    var step = 0
    let (_, peak) = MemoryLedger.measure {
        model.train(s.dropout)
        for _ in 0..<s.numTrainEpochs {
            let order = g.permutation(task.train.count).map { task.train[$0] }
            var total = 0.0
            for start in stride(from: 0, to: order.count, by: s.perDeviceTrainBatchSize) {
                let b = FactTask.batch(order[start..<min(start + s.perDeviceTrainBatchSize, order.count)])
                optimizer.learningRate = schedule.lr(at: step)
                let loss = lossFunction(model(inputIds: b.ids, attentionMask: b.mask, shape: b.shape), b.labels)   // [B, 2] vs [B]
                optimizer.zeroGrad()
                loss.backward()
                optimizer.step()
                total += Double(loss.item())
                step += 1
            }
            losses.append(total / Double(batches))
            accuracies.append(accuracy(model, on: task.validation))
            perplexities.append(base.mlmPerplexity(encoder: model))
        }
    }
    model.eval()
    let (t, all) = model.trainableParameterCounts()
    return FineTuneResult(method: method, model: model, accuracyByEpoch: accuracies, perplexityByEpoch: perplexities, trainLossByEpoch: losses,
                          trainableParameters: t, allParameters: all, optimizerStateBytes: optimizer.stateBytes,
                          peakTrainingBytes: peak)
}
