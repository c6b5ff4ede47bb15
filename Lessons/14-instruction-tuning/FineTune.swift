import Foundation
import MiniTorch

/// The three ways to fine-tune the same model on the same data.
public enum Method: String, Sendable, CaseIterable, Codable {
    /// Every weight learns (the guide's native fine-tune).
    case full
    /// The base is frozen; low-rank adapters on the target layers learn (PEFT LoRA).
    case lora
    /// The base is frozen in 4 bits (NF4, double quantisation), adapters learn in Float32,
    /// paged AdamW (QLoRA, Dettmers et al. 2023).
    case qlora
}

/// A padded batch of conversations: inputs [B, T] and next-token targets [B, T] with -100 where
/// no loss is taken (prompt, padding).
public struct ChatBatch: Sendable {
    public let inputs: [Int]
    public let targets: [Int]
    public let shape: [Int]
    /// Positions that hold a real token (not padding).
    public let realTokens: Int
}

// ANCHOR: collate
/// Pads each example on the right to the longest in the batch, as `DataCollatorForSeq2Seq` does:
/// pad input ids with `padID` (GPT-2 pads with its end-of-text token) and labels with -100, so
/// padding is never learned. Causal attention means a real token never sees the padding after
/// it, so right padding needs no attention mask. Targets are the labels shifted left by one:
/// the logits at position t are scored against label t + 1.
public func collate(_ examples: [(inputIds: [Int], labels: [Int])], padID: Int) -> ChatBatch {
    let t = examples.map { $0.inputIds.count - 1 }.max()!
    var inputs: [Int] = [], targets: [Int] = [], real = 0
    for e in examples {
        let n = e.inputIds.count - 1
        inputs += e.inputIds.prefix(n) + Array(repeating: padID, count: t - n)              // [T]
        // BEGIN SOLUTION ex14_3
        targets += e.labels.dropFirst() + Array(repeating: ChatTemplate.ignoreIndex, count: t - n)   // [T], shifted
        // END SOLUTION
        real += n
    }
    return ChatBatch(inputs: inputs, targets: targets, shape: [examples.count, t], realTokens: real)
}
// ANCHOR_END: collate

/// The training settings of one fine-tune (Hugging Face's TrainingArguments and LoraConfig names).
public struct FineTuneSettings: Sendable, Equatable {
    public var method = Method.lora
    public var maxSteps = 300
    public var perDeviceTrainBatchSize = 16
    /// Peak learning rate: full fine-tunes move every weight and want a smaller one than
    /// adapters, which start from zero (B = 0) and are scaled by alpha / r.
    public var learningRate: Float = 2e-3
    public var warmupSteps = 20
    public var weightDecay: Float = 0
    public var maxGradNorm: Float = 1
    public var loraR = 8
    public var loraAlpha: Float = 16
    public var loraTargetModules = ["c_attn", "c_proj", "c_fc", "lm_head"]
    /// Loss on every token instead of the response only.
    public var trainOnPrompt = false
    /// Recompute each block in the backward pass instead of keeping its activations (the guide's
    /// `--gradient_checkpointing true`).
    public var gradientCheckpointing = false
    /// Paged AdamW's device budget for QLoRA's optimizer state (bytes).
    public var pagedBudgetBytes = 64 * 1024
    public var seed = 42

    public init() {}

    public var loraConfig: LoRAConfig {
        LoRAConfig(r: loraR, loraAlpha: loraAlpha, targetModules: loraTargetModules)
    }
}

/// What one fine-tune produced and cost.
public struct FineTuneRun: @unchecked Sendable {
    public let settings: FineTuneSettings
    public let model: GPT2LMHeadModel
    public let trainableParameters: Int
    public let allParameters: Int
    /// Bytes of the model as prepared for training (base, 4-bit or not, plus adapters).
    public let modelBytes: Int
    /// Bits per weight of the quantised base layers (QLoRA), nil otherwise.
    public let baseBitsPerParameter: Double?
    /// Bytes of optimizer state at the end (AdamW's exp_avg and exp_avg_sq; paged: all pages).
    public let optimizerStateBytes: Int
    /// Peak bytes of tensor storage allocated during training (activations, gradients,
    /// optimizer state), from the memory ledger.
    public let peakTrainingBytes: Int
    public let stepMilliseconds: Double
    public let trainLosses: [Double]
    public let tokensPerSecond: Double
}

/// Fine-tunes a copy of `base` on `examples` with `s.method`.
public func fineTune(_ base: GPT2LMHeadModel, template: ChatTemplate, examples train: [Instruction],
                     _ s: FineTuneSettings, progress: (_ step: Int, _ loss: Double) -> Void = { _, _ in }) -> FineTuneRun {
    // ANCHOR: prepare
    let ((model, quantized), modelBytes) = bytesAllocated { () -> (GPT2LMHeadModel, [String]) in
        let model = copyModel(base)
        var quantized: [String] = []
        switch s.method {
        case .full:
            break                                                                  // every weight trainable
        case .lora:
            getPeftModel(model, s.loraConfig, generator: Generator(seed: s.seed + 1))   // frozen base, adapters
        case .qlora:
            quantized = replaceWithLinear4bit(model, quantType: .nf4, compressStatistics: true,
                                              modulesToNotConvert: ["lm_head"])        // NF4 + double quantisation
            getPeftModel(model, s.loraConfig, generator: Generator(seed: s.seed + 1))
        }
        return (model, quantized)
    }
    let trainable = model.parameters().filter { $0.requiresGrad }
    let optimizer: any Optimizer = s.method == .qlora
        ? PagedAdamW(parameters: trainable, learningRate: s.learningRate, weightDecay: s.weightDecay, budgetBytes: s.pagedBudgetBytes)
        : AdamW(parameters: trainable, learningRate: s.learningRate, weightDecay: s.weightDecay)
    // ANCHOR_END: prepare
    let bits = quantized.isEmpty ? nil : quantizedBits(model)
    model.transformer.gradientCheckpointing = s.gradientCheckpointing
    let schedule = getScheduler(.cosine, learningRate: s.learningRate, numWarmupSteps: s.warmupSteps, numTrainingSteps: s.maxSteps)
    let encoded = train.map { template.example($0, trainOnPrompt: s.trainOnPrompt) }
    let generator = Generator(seed: s.seed + 2)
    var order: [Int] = [], losses: [Double] = [], times: [Double] = [], tokens = 0
    let start = Date()
    let (_, peak) = MemoryLedger.measure {
        model.train()
        for step in 0..<s.maxSteps {
            if order.count < s.perDeviceTrainBatchSize { order += generator.permutation(encoded.count) }   // epochs, reshuffled
            let batch = collate(order.prefix(s.perDeviceTrainBatchSize).map { encoded[$0] }, padID: template.tokenizer.specialTokenID(ByteLevelBPETokenizer.endOfText) ?? 0)
            order.removeFirst(s.perDeviceTrainBatchSize)
            let stepStart = Date()
            // ANCHOR: step
            optimizer.learningRate = schedule.lr(at: step)
            let logits = model(inputIds: batch.inputs, shape: batch.shape)                       // [B, T, vocab]
            let loss = crossEntropy(logits.reshape([-1, model.config.vocabSize]), batch.targets)   // mean over labels != -100
            optimizer.zeroGrad()
            loss.backward()
            clipGradNorm(trainable, maxNorm: s.maxGradNorm)
            optimizer.step()
            // ANCHOR_END: step
            times.append(Date().timeIntervalSince(stepStart))
            losses.append(Double(loss.item()))
            tokens += batch.realTokens
            progress(step + 1, losses[step])
        }
    }
    let seconds = Date().timeIntervalSince(start)
    model.eval()
    return FineTuneRun(settings: s, model: model, trainableParameters: trainable.reduce(0) { $0 + $1.count },
                       allParameters: model.parameterCount() + quantizedParameterCount(model), modelBytes: modelBytes,
                       baseBitsPerParameter: bits, optimizerStateBytes: optimizer.stateBytes, peakTrainingBytes: peak,
                       stepMilliseconds: times.sorted()[times.count / 2] * 1000, trainLosses: losses,
                       tokensPerSecond: Double(tokens) / seconds)
}

/// Weights held in 4 bits (not parameters: they are frozen codes, not Tensors).
func quantizedParameterCount(_ model: Module) -> Int {
    model.namedModules().compactMap { $0.1 as? Linear4bit }.reduce(0) { $0 + $1.inFeatures * $1.outFeatures }
}

/// Bits per weight of the 4-bit layers: codes, absmax constants (themselves quantised with
/// double quantisation), no bias.
func quantizedBits(_ model: Module) -> Double {
    let layers = model.namedModules().compactMap { $0.1 as? Linear4bit }
    let bytes = layers.reduce(0) { $0 + $1.weight.storageBytes }
    return Double(8 * bytes) / Double(quantizedParameterCount(model))
}

/// Runs `body` and returns its result with the bytes of tensor storage it allocated that are
/// still alive when it returns (what the result holds), as the memory ledger counts them.
func bytesAllocated<T>(_ body: () -> T) -> (T, Int) {
    MemoryLedger.measure { () -> (T, Int) in
        let result = body()
        return (result, MemoryLedger.current.liveBytes)
    }.result
}
