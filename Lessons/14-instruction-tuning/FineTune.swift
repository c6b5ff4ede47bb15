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
    /// For packed rows (`pack`): each token's position inside its own example and which example
    /// of the row it belongs to, [B, T]; nil for padded rows.
    public var positionIds: [Int]? = nil
    public var sequenceIds: [Int]? = nil
}

extension ChatBatch {
    /// A packed batch, to train on as a padded one.
    public init(_ p: PackedBatch) {
        self.init(inputs: p.inputs, targets: p.targets, shape: p.shape, realTokens: p.realTokens,
                  positionIds: p.positionIds, sequenceIds: p.sequenceIds)
    }
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
    /// Pack the step's conversations into rows of the model's context, each attending only to
    /// itself (`pack`), instead of padding each to the longest.
    public var packing = false
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

    /// An adapter run that leaves the head (tied to the embedding) frozen: it cannot learn to end a turn.
    public var withoutHead: Bool { method != .full && !loraTargetModules.contains("lm_head") }
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
    /// Real tokens over all positions the model computed (the rest is padding).
    public let realTokenShare: Double
    /// Positions computed per step, real or padding.
    public let positionsPerStep: Double
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
    var order: [Int] = [], losses: [Double] = [], times: [Double] = [], tokens = 0, positions = 0
    let start = Date()
    let (_, peak) = MemoryLedger.measure {
        model.train()
        for step in 0..<s.maxSteps {
            if order.count < s.perDeviceTrainBatchSize { order += generator.permutation(encoded.count) }   // epochs, reshuffled
            let examples = order.prefix(s.perDeviceTrainBatchSize).map { encoded[$0] }
            let padID = template.tokenizer.specialTokenID(ByteLevelBPETokenizer.endOfText) ?? 0
            let batch = s.packing ? ChatBatch(pack(examples, maxLength: model.config.nPositions, padID: padID))   // [R, 64]
                                  : collate(examples, padID: padID)                                                // [B, longest]
            order.removeFirst(s.perDeviceTrainBatchSize)
            let stepStart = Date()
            // ANCHOR: step
            optimizer.learningRate = schedule.lr(at: step)
            let loss = responseLoss(model, batch)                                                 // mean over labels != -100
            optimizer.zeroGrad()
            loss.backward()
            clipGradNorm(trainable, maxNorm: s.maxGradNorm)
            optimizer.step()
            // ANCHOR_END: step
            times.append(Date().timeIntervalSince(stepStart))
            losses.append(Double(loss.item()))
            tokens += batch.realTokens
            positions += batch.inputs.count
            progress(step + 1, losses[step])
        }
    }
    let seconds = Date().timeIntervalSince(start)
    model.eval()
    return FineTuneRun(settings: s, model: model, trainableParameters: trainable.reduce(0) { $0 + $1.count },
                       allParameters: model.parameterCount() + quantizedParameterCount(model), modelBytes: modelBytes,
                       baseBitsPerParameter: bits, optimizerStateBytes: optimizer.stateBytes, peakTrainingBytes: peak,
                       stepMilliseconds: times.sorted()[times.count / 2] * 1000, trainLosses: losses,
                       tokensPerSecond: Double(tokens) / seconds, realTokenShare: Double(tokens) / Double(max(positions, 1)),
                       positionsPerStep: Double(positions) / Double(max(s.maxSteps, 1)))
}

// ANCHOR: response_loss
/// The mean next-token cross-entropy over the labelled positions of `batch`, as
/// `crossEntropy(model(batch), targets)` with -100 skipped, but with the head applied only where a
/// label is. With loss on the response only, that is a few positions of each example: the
/// [positions, vocab] logits, their softmax and the head's two matrix products shrink by the
/// same share (fused "linear cross-entropy" kernels such as Liger's avoid the full logits for the
/// same reason). The loss and every gradient are those of the full logits (a test holds them equal).
public func responseLoss(_ model: GPT2LMHeadModel, _ batch: ChatBatch) -> Tensor {
    let hidden = model.transformer(inputIds: batch.inputs, shape: batch.shape,
                                   positionIds: batch.positionIds, sequenceIds: batch.sequenceIds)   // [B, T, H]
    let labelled = batch.targets.indices.filter { batch.targets[$0] != ChatTemplate.ignoreIndex }
    let kept = hidden.reshape([-1, model.config.nEmbd]).indexSelect(axis: 0, indices: labelled)   // [N, H]
    return crossEntropy(model.lm_head(kept), labelled.map { batch.targets[$0] })    // [N, vocab] -> mean
}
// ANCHOR_END: response_loss

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
