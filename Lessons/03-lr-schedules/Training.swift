import Foundation
import MiniTorch

/// The problem every run of this lesson trains on: four overlapping Gaussian blobs in the plane
/// and a small MLP that tells them apart. Small enough that a hundred steps take milliseconds.
public struct Problem {
    public let train: TensorDataset
    public let seed: Int
    public let batchSize: Int
    public let hiddenSize: Int

    public init(seed: Int, count: Int = 512, batchSize: Int = 32, hiddenSize: Int = 64) {
        // One generator for the data; the model and the batch order take their own seeds below.
        train = SyntheticData.blobs(count: count, classes: 4, spread: 0.8, radius: 2, generator: Generator(seed: UInt64(seed)))
        self.seed = seed
        self.batchSize = batchSize
        self.hiddenSize = hiddenSize
    }

    /// A fresh model with the same initial weights for every run of one seed, so runs differ
    /// only in their learning rates.
    public func makeModel() -> MLP {
        MLP(sizes: [2, hiddenSize, hiddenSize, 4], generator: Generator(seed: UInt64(seed) &+ 1))
    }

    /// The batches of the whole run, epoch after epoch, in the same order for every run.
    public func batches(count steps: Int) -> [Batch] {
        let loader = DataLoader(train, batchSize: batchSize, shuffle: true, dropLast: true, seed: seed &+ 2)
        var result: [Batch] = []
        var epoch = 0
        while result.count < steps {
            for batch in loader.epoch(epoch) where result.count < steps { result.append(batch) }
            epoch += 1
        }
        return result
    }
}

/// How a run ended.
public enum Outcome: Equatable, Sendable {
    case finished
    /// The loss became NaN or infinite, or rose above `divergenceFactor` times its start.
    case diverged(step: Int, loss: Float)
}

/// One training run: the rate and loss at every step it took.
public struct TrainingRun: Sendable {
    public let name: String
    public let lrs: [Float]
    public let losses: [Float]
    public let outcome: Outcome

    public var startLoss: Float { losses.first ?? .nan }
    public var finalLoss: Float { losses.last ?? .nan }
    public var diverged: Bool { outcome != .finished }

    /// The first step whose loss, averaged over the `window` steps ending there, is at or below
    /// `target`; nil if the run never got there. (A window, because one lucky batch is not a result.)
    public func stepReaching(_ target: Float, window: Int = 10) -> Int? {
        guard losses.count >= window else { return nil }
        var sum = losses.prefix(window).reduce(0, +)
        if sum / Float(window) <= target { return window - 1 }
        for step in window..<losses.count {
            sum += losses[step] - losses[step - window]
            if sum / Float(window) <= target { return step }
        }
        return nil
    }

    /// Mean loss over the first `window` steps: where the run started, without one batch's luck.
    public func headLoss(window: Int = 10) -> Float {
        let head = losses.prefix(window)
        return head.reduce(0, +) / Float(head.count)
    }

    /// Mean loss over the last `window` steps.
    public func tailLoss(window: Int = 10) -> Float {
        let tail = losses.suffix(window)
        return tail.reduce(0, +) / Float(tail.count)
    }
}

/// A run "explodes" when its loss goes above this many times its first loss.
public let divergenceFactor: Float = 4

// ANCHOR: train
/// Trains a fresh model with AdamW for `steps` steps, setting the rate from `schedule` before
/// every update, and stops at the first step whose loss is not finite or has exploded.
public func train(_ problem: Problem, name: String, schedule: LRSchedule, steps: Int) -> TrainingRun {
    let model = problem.makeModel()
    let optimizer = AdamW(parameters: model.parameters(), learningRate: schedule.lr(at: 0), weightDecay: 0)
    let lossFunction = CrossEntropyLoss()
    var lrs: [Float] = [], losses: [Float] = []
    for (step, batch) in problem.batches(count: steps).enumerated() {
        optimizer.learningRate = schedule.lr(at: step)      // the schedule decides, every step
        let loss = lossFunction(model(batch.inputs), batch.labels)
        let value = loss.item()
        lrs.append(optimizer.learningRate)
        losses.append(value)
        if !value.isFinite || value > divergenceFactor * losses[0] {
            return TrainingRun(name: name, lrs: lrs, losses: losses, outcome: .diverged(step: step, loss: value))
        }
        optimizer.zeroGrad()
        loss.backward()
        optimizer.step()
    }
    return TrainingRun(name: name, lrs: lrs, losses: losses, outcome: .finished)
}
// ANCHOR_END: train

/// A schedule that is the same at every step (what "no schedule" means).
public struct ConstantLR: LRSchedule {
    public let learningRate: Float
    public init(_ learningRate: Float) { self.learningRate = learningRate }
    public func lr(at step: Int) -> Float { learningRate }
    public var description: String { "constant \(learningRate)" }
}
