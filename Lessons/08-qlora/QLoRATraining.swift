import Foundation
import MiniTorch
import LoRALesson

/// One LoRA fine-tune on the fact task, on a Float32 or a 4-bit base.
public struct AdapterRun {
    public let name: String
    public let model: RobertaForSequenceClassification
    /// Validation accuracy before training and after each epoch.
    public let accuracyByEpoch: [Double]
    public let trainLossByEpoch: [Double]
    public let trainableParameters: Int
    /// Bytes of the model as it sits in memory before training (base + adapters + head),
    /// measured by the memory ledger.
    public let modelBytes: Int
    /// Peak bytes of tensor storage during training (activations, gradients, optimizer state on
    /// the device), measured by the memory ledger.
    public let peakTrainingBytes: Int
    /// The paged optimizer's report, when one was used.
    public let paging: PagingReport?
    public var accuracy: Double { accuracyByEpoch.last! }
}

/// What the paged optimizer did during a run.
public struct PagingReport: Sendable {
    public let budgetBytes: Int
    public let stateBytes: Int
    public let peakResidentBytes: Int
    public let pageIns: Int
    public let pageOuts: Int
    public let pageBytes: Int
    public let steps: Int
}

/// LoRA with `config` on a classifier built from the pretrained encoder, as QLoRA prepares it:
/// base linear layers to 4 bits (when `quantType` is set), frozen, adapters on the targets, the
/// head trained in full; AdamW, or PagedAdamW under `pagedBudgetBytes` (`--optim paged_adamw_32bit`).
// ANCHOR: qlora
public func fineTuneAdapters(_ base: PretrainedBase, task: FactTask, config: LoRAConfig, quantType: QuantType?,
                             doubleQuantization: Bool = true, pagedBudgetBytes: Int?, pageSize: Int, settings s: FineTuneSettings,
                             progress: (Int, Int, Double) -> Void = { _, _, _ in }) -> AdapterRun {
    let (model, modelBytes) = allocatedBytes { () -> RobertaForSequenceClassification in
        let model = base.classifier(seed: s.seed, numLabels: task.numLabels)    // pretrained encoder, new head
        if let quantType {
            replaceWithLinear4bit(model, quantType: quantType, compressStatistics: doubleQuantization,
                                 modulesToNotConvert: ["classifier"])   // frozen 4-bit base
        }
        getPeftModel(model, config, generator: Generator(seed: UInt64(s.seed) &+ 1))   // adapters, head trainable
        return model
    }
    let trainable = model.parameters().filter { $0.requiresGrad }
    let optimizer: any Optimizer = pagedBudgetBytes.map {
        PagedAdamW(parameters: trainable, learningRate: s.loraLearningRate, weightDecay: s.weightDecay, pageSize: pageSize, budgetBytes: $0)
    } ?? AdamW(parameters: trainable, learningRate: s.loraLearningRate, weightDecay: s.weightDecay)
    // ANCHOR_END: qlora
    let lossFunction = CrossEntropyLoss()
    let batches = (task.train.count + s.perDeviceTrainBatchSize - 1) / s.perDeviceTrainBatchSize
    let total = batches * s.numTrainEpochs
    let warmup = Int((s.warmupRatio * Double(total)).rounded(.up))                   // HF warmup_ratio
    let schedule = getScheduler(.linear, learningRate: s.loraLearningRate, numWarmupSteps: warmup, numTrainingSteps: total)
    var accuracies = [accuracy(model, on: task.validation)]
    var losses: [Double] = []
    let g = Generator(seed: UInt64(s.seed) &+ 2)
    var step = 0
    let (_, peak) = MemoryLedger.measure {
        model.train(s.dropout > 0)
        for _ in 0..<s.numTrainEpochs {
            let order = g.permutation(task.train.count).map { task.train[$0] }
            var sum = 0.0
            for start in stride(from: 0, to: order.count, by: s.perDeviceTrainBatchSize) {
                let b = FactTask.batch(order[start..<min(start + s.perDeviceTrainBatchSize, order.count)])
                optimizer.learningRate = schedule.lr(at: step)
                let loss = lossFunction(model(inputIds: b.ids, attentionMask: b.mask, shape: b.shape), b.labels)   // [B, 2] vs [B]
                optimizer.zeroGrad()
                loss.backward()        // through the frozen 4-bit layers into the adapters
                optimizer.step()
                sum += Double(loss.item())
                step += 1
                progress(step, total, Double(loss.item()))
            }
            losses.append(sum / Double(batches))
            accuracies.append(accuracy(model, on: task.validation))
        }
    }
    model.eval()
    let paging = (optimizer as? PagedAdamW).map {
        PagingReport(budgetBytes: $0.budgetBytes, stateBytes: $0.stateBytes, peakResidentBytes: $0.peakResidentBytes,
                     pageIns: $0.pageIns, pageOuts: $0.pageOuts, pageBytes: $0.pageBytes, steps: step)
    }
    return AdapterRun(name: quantType.map { "LoRA on \($0.rawValue) base" } ?? "LoRA on float32 base", model: model,
                      accuracyByEpoch: accuracies, trainLossByEpoch: losses, trainableParameters: trainable.reduce(0) { $0 + $1.count },
                      modelBytes: modelBytes, peakTrainingBytes: peak, paging: paging)
}
