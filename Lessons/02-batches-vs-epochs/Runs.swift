import Foundation
import MiniTorch

/// One optimizer update of a run.
public struct UpdateRow: Sendable, Equatable {
    public var update: Int
    /// Samples seen so far divided by the data set size.
    public var epoch: Double
    public var samplesSeen: Int
    /// Loss of the batch this update was computed from: what a training log shows.
    public var batchLoss: Double
    /// Loss on all samples with the weights after this update: the real objective.
    public var trainLoss: Double
}

public struct RunCurve: Sendable {
    public var name: String
    public var batchSize: Int
    public var updatesPerEpoch: Int
    /// Whole-set loss of the untrained model (the same for every run).
    public var initialLoss: Double
    public var rows: [UpdateRow]

    public var finalLoss: Double { rows.last?.trainLoss ?? initialLoss }

    /// The first update after which the whole-set loss is at or below `target`.
    public func firstReaching(_ target: Double) -> UpdateRow? { rows.first { $0.trainLoss <= target } }

    /// Spread of the logged per-step (batch) loss over the second half of the run, once the
    /// curve has flattened out, so that the fall itself does not count as noise (see `stepNoise`).
    public var noise: Double { stepNoise(rows.suffix(rows.count / 2).map(\.batchLoss)) }
}

// ANCHOR: noise
/// How much a logged loss jumps from one update to the next: the standard deviation of
/// loss[t] - loss[t-1]. A smooth curve has small, steady changes; a noisy one large changes of
/// both signs.
public func stepNoise(_ losses: [Double]) -> Double {
    guard losses.count > 2 else { return 0 }
    let changes = zip(losses.dropFirst(), losses).map { $0 - $1 }
    let mean = changes.reduce(0, +) / Double(changes.count)
    let variance = changes.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(changes.count - 1)
    return variance.squareRoot()
}
// ANCHOR_END: noise

/// The lesson's data: 200 points in four overlapping blobs.
public func makeData(_ config: Settings) -> TensorDataset {
    SyntheticData.blobs(count: config.samples, classes: config.classes, spread: config.spread,
                        generator: Generator(seed: config.seed))
}

/// Trains one copy of the model with `batchSize` (at `learningRate`, the config's when nil),
/// logging every update. `onUpdate(row)` lets the caller move a progress bar.
public func trainRun(name: String, batchSize: Int, config: Settings, learningRate: Float? = nil,
                     onUpdate: (UpdateRow) -> Void = { _ in }) -> RunCurve {
    let data = makeData(config)
    let all = Batch.collate((0..<data.count).map { data[$0] })   // for the whole-set loss
    // The same seed gives every run the same initial weights.
    let model = MLP(sizes: [2, config.hiddenSize, config.classes], generator: Generator(seed: config.seed + 1))
    let optimizer = SGD(parameters: model.parameters(), learningRate: learningRate ?? config.learningRate)
    let loader = DataLoader(data, batchSize: batchSize, shuffle: true, seed: config.seed)
    func wholeSetLoss() -> Double { noGrad { Double(crossEntropy(model(all.inputs), all.labels).item()) } }

    let initialLoss = wholeSetLoss()
    var rows: [UpdateRow] = []
    // ANCHOR: train
    for epoch in 0..<config.numTrainEpochs {
        for batch in loader.epoch(epoch) {                        // N / B batches, shuffled anew
            let loss = crossEntropy(model(batch.inputs), batch.labels)   // [B, 2] -> [B, 4] -> scalar
            loss.backward()
            optimizer.step()                                       // one update per batch
            optimizer.zeroGrad()
            let update = rows.count + 1
            let seen = samplesSeen(afterUpdates: update, samples: data.count, batchSize: batchSize)
            rows.append(UpdateRow(update: update, epoch: Double(seen) / Double(data.count),   // epochs = samples seen / N
                                  samplesSeen: seen, batchLoss: Double(loss.item()),
                                  trainLoss: wholeSetLoss()))
            onUpdate(rows[rows.count - 1])
        }
    }
    // ANCHOR_END: train
    return RunCurve(name: name, batchSize: batchSize, updatesPerEpoch: loader.count,
                    initialLoss: initialLoss, rows: rows)
}

/// The three runs of the lesson, in the order of `config.runs`.
public func compareBatchSizes(_ config: Settings, onUpdate: (_ done: Int, UpdateRow) -> Void = { _, _ in }) -> [RunCurve] {
    var done = 0
    return config.runs.map { run in
        let curve = trainRun(name: run.name, batchSize: run.batchSize, config: config) { onUpdate(done + $0.update, $0) }
        done += curve.rows.count
        return curve
    }
}

// ANCHOR: scaled
/// Batch gradient descent again, with the rate scaled from the mini-batch run's for a batch
/// k = N / B times larger: linearly (Goyal et al.: "multiply the learning rate by k") and by the
/// square root (the rule often used for Adam). The fixed-rate comparison above handicaps the large
/// batch by construction; these two runs give it the rate the scaling rules say it should get.
public func scaledRateRuns(_ config: Settings) -> [(rule: String, learningRate: Float, curve: RunCurve)] {
    let k = Float(config.samples) / Float(config.miniBatchSize)
    return [("linear", config.learningRate * k), ("square root", config.learningRate * k.squareRoot())].map { rule, lr in
        (rule, lr, trainRun(name: "batch GD, \(rule)", batchSize: config.samples, config: config, learningRate: lr))
    }
}
// ANCHOR_END: scaled

/// Updates all three runs make together: what a progress bar counts to.
public func totalUpdates(_ config: Settings) -> Int {
    config.runs.reduce(0) { $0 + (config.samples + $1.batchSize - 1) / $1.batchSize * config.numTrainEpochs }
}
