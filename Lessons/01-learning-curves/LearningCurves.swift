import Foundation
import MiniTorch

/// The data of the lesson: seeded blobs split into training and validation sets.
public func makeBlobs(_ config: Settings) -> (train: Subset<TensorDataset>, valid: Subset<TensorDataset>) {
    let data = SyntheticData.blobs(count: config.samples, classes: config.classes, spread: config.spread,
                                   generator: Generator(seed: config.seed))
    let split = trainValidationSplit(count: data.count, validationFraction: config.validationFraction, seed: config.seed)
    return (data.select(split.train), data.select(split.validation))
}

// ANCHOR: model
/// A 2 -> hidden -> classes MLP. Before training it should know nothing, so its probabilities
/// should be close to 1/classes for every point and its loss close to -ln(1/classes) = ln(classes).
/// PyTorch's default init gives logits large enough to be confidently wrong; shrinking the last
/// layer (a common recipe: check the loss at init) brings every logit near 0, softmax near uniform.
public func makeModel(_ config: Settings, lastLayerInitScale: Float) -> MLP {
    let model = MLP(sizes: [2, config.hiddenSize, config.classes],
                    generator: Generator(seed: config.seed + 1))          // [B, 2] -> [B, classes]
    let last = model[model.count - 1] as! Linear
    for i in 0..<last.weight.count { last.weight.pointer[i] *= lastLayerInitScale }
    if lastLayerInitScale != 1, let bias = last.bias {
        for i in 0..<bias.count { bias.pointer[i] = 0 }
    }
    return model
}
// ANCHOR_END: model

// ANCHOR: step
/// One optimizer step on one batch: forward, loss, backward, step, and clearing the gradients.
/// Returns the batch's loss, computed with the weights as they were before the update.
public func trainingStep(_ model: Module, _ batch: Batch, lossFunction: CrossEntropyLoss,
                         optimizer: Optimizer) -> Tensor {
    // BEGIN SOLUTION ex01_1
    let logits = model(batch.inputs)              // forward: [B, 2] -> [B, classes]
    let loss = lossFunction(logits, batch.labels) // mean cross-entropy over the batch
    loss.backward()                               // dLoss/dw lands in every parameter's .grad
    optimizer.step()                              // w = w - learningRate * w.grad
    optimizer.zeroGrad()                          // .grad adds up across calls unless cleared
    return loss
    // END SOLUTION
}
// ANCHOR_END: step

/// Trains a small MLP with a training loop written out in full, measuring the whole training
/// and validation sets after every `loggingSteps` steps. `onStep(step, totalSteps, row)` lets
/// the caller draw a progress bar; `row` is nil on steps that were not logged.
public func trainWithCurves(_ config: Settings,
                            onStep: (Int, Int, LogRow?) -> Void = { _, _, _ in }) -> LessonResult {
    let (train, valid) = makeBlobs(config)
    let trainSet = wholeSet(train), validSet = wholeSet(valid)
    let defaultInit = makeModel(config, lastLayerInitScale: 1)
    let defaultInitTrainLoss = evaluate(defaultInit, on: trainSet).loss
    let model = makeModel(config, lastLayerInitScale: config.lastLayerInitScale)
    let optimizer = SGD(parameters: model.parameters(), learningRate: config.learningRate)
    let lossFunction = CrossEntropyLoss()
    let loader = DataLoader(train, batchSize: config.perDeviceTrainBatchSize, shuffle: true, seed: config.seed)
    let totalSteps = loader.count * config.numTrainEpochs

    func measure(step: Int, batchLoss: Double?) -> LogRow {
        let (trainLoss, trainAccuracy) = evaluate(model, on: trainSet)
        let (validLoss, validAccuracy) = evaluate(model, on: validSet)
        return LogRow(step: step, epoch: Double(step) / Double(loader.count), batchLoss: batchLoss,
                      trainLoss: trainLoss, validLoss: validLoss,
                      trainAccuracy: trainAccuracy, validAccuracy: validAccuracy,
                      perplexity: perplexity(ofMeanLoss: validLoss))
    }

    var rows = [measure(step: 0, batchLoss: nil)]   // the untrained model: loss should be ln(classes)
    var step = 0
    // ANCHOR: loop
    for epoch in 0..<config.numTrainEpochs {
        for batch in loader.epoch(epoch) {                // a new shuffle every epoch
            let loss = trainingStep(model, batch, lossFunction: lossFunction, optimizer: optimizer)
            step += 1

            var row: LogRow? = nil
            if step % config.loggingSteps == 0 {
                row = measure(step: step, batchLoss: Double(loss.item()))
                rows.append(row!)
            }
            onStep(step, totalSteps, row)
        }
    }
    // ANCHOR_END: loop
    return LessonResult(config: config, trainCount: train.count, validCount: valid.count,
                                stepsPerEpoch: loader.count, defaultInitTrainLoss: defaultInitTrainLoss, rows: rows)
}
