import MiniTorch

/// The classifier the precision runs train: four well-separated blobs in the plane, a
/// 2-64-64-4 ReLU MLP, Adam. It learns the blobs quickly and then keeps growing its confidence,
/// so its gradients shrink step after step, down to sizes fp16 cannot hold: the late phase of
/// every long training run, in miniature.
public struct PrecisionSettings: Sendable, Equatable {
    public var count = 512
    public var batchSize = 64
    public var learningRate: Float = 1e-2
    public var maxSteps = 400
    /// The static loss scale, and the dynamic scaler's starting scale (PyTorch's init_scale).
    public var lossScale: Float = 65536
    /// The dynamic scaler's growth interval in this run. PyTorch's default is 2000 steps; 25 lets
    /// a 400-step run show the whole cycle: the scale grows until a gradient overflows, backs off,
    /// and grows again.
    public var growthInterval = 25
    public var seed = 42

    public init() {}
}

// ANCHOR: scaler
/// A dynamic loss scaler, as PyTorch's `torch.amp.GradScaler` (defaults init_scale 2^16,
/// growth_factor 2.0, backoff_factor 0.5, growth_interval 2000).
///
/// Multiply the loss by `scale` before backward, so every gradient is `scale` times larger and
/// small ones stay above fp16's 2^-24. Before the optimizer step, check the gradients: if any is
/// inf or NaN the scale was too large (something overflowed 65504), so skip the step and halve
/// the scale. Otherwise divide the gradients by the scale ("unscale") and step; after
/// `growthInterval` good steps in a row, try twice the scale.
public final class GradScaler {
    public private(set) var scale: Float
    public let growthFactor: Float
    public let backoffFactor: Float
    public let growthInterval: Int
    /// Good steps since the last change of scale (PyTorch's `_growth_tracker`).
    public private(set) var growthTracker = 0

    public init(initScale: Float = 65536, growthFactor: Float = 2, backoffFactor: Float = 0.5,
                growthInterval: Int = 2000) {
        self.scale = initScale
        self.growthFactor = growthFactor
        self.backoffFactor = backoffFactor
        self.growthInterval = growthInterval
    }

    /// Divides every gradient by the scale and says whether any was inf or NaN
    /// (PyTorch's `unscale_` and its `found_inf`).
    @discardableResult
    public func unscale(_ parameters: [Tensor]) -> Bool {
        unscaleGradients(parameters, scale: scale)
    }

    /// After each step: back off on overflow, grow after `growthInterval` clean steps
    /// (PyTorch's `update()`, `_amp_update_scale_`).
    public func update(foundInf: Bool) {
        // BEGIN SOLUTION ex10_3
        if foundInf {
            scale *= backoffFactor
            growthTracker = 0
        } else {
            growthTracker += 1
            if growthTracker == growthInterval {
                scale *= growthFactor
                growthTracker = 0
            }
        }
        // END SOLUTION
    }
}
// ANCHOR_END: scaler

/// Divides every gradient by `scale` (in Float32) and returns whether any gradient was inf or NaN.
@discardableResult
public func unscaleGradients(_ parameters: [Tensor], scale: Float) -> Bool {
    var foundInf = false
    let inverse = 1 / scale
    for g in parameters.compactMap(\.grad) {
        let p = g.pointer
        for i in 0..<g.count {
            if !p[i].isFinite { foundInf = true }
            p[i] *= inverse
        }
    }
    return foundInf
}

/// How a run stores its gradients and whether it scales the loss.
public enum PrecisionMode: String, CaseIterable, Sendable {
    case fp32 = "fp32"
    case fp16 = "fp16, no scaling"
    case fp16Static = "fp16, static scale"
    case fp16Dynamic = "fp16, GradScaler"
    case bf16 = "bf16, no scaling"

    var format: HalfFormat? {
        switch self {
        case .fp32: return nil
        case .bf16: return .bfloat16
        default: return .float16
        }
    }
}

/// What 16-bit storage does to one set of gradients: the share of the nonzero Float32 elements
/// that each format turns into 0 (or inf), with and without a loss scale.
public struct GradientUnderflow: Sendable, Equatable {
    public var step: Int
    /// Nonzero gradient elements in Float32.
    public var nonzero: Int
    /// Their median magnitude.
    public var medianMagnitude: Float
    /// Share that fp16 rounds to 0 (magnitude at or below 2^-25).
    public var zeroInFP16: Double
    /// Share in fp16's subnormal range (below 2^-14): kept, with fewer bits of precision.
    public var subnormalInFP16: Double
    /// Share that becomes 0 in fp16 after multiplying by the loss scale.
    public var zeroInFP16Scaled: Double
    /// Share that overflows to inf in fp16 after multiplying by the loss scale.
    public var overflowInFP16Scaled: Double
    /// Share that bf16 rounds to 0.
    public var zeroInBF16: Double
}

// ANCHOR: underflow
/// Counts, over every nonzero gradient element, what fp16 and bf16 storage would make of it.
public func measureUnderflow(_ parameters: [Tensor], step: Int, lossScale: Float) -> GradientUnderflow {
    let values = parameters.compactMap(\.grad).flatMap(\.scalars).filter { $0 != 0 }
    func share(_ test: (Float) -> Bool) -> Double {
        Double(values.filter(test).count) / Double(Swift.max(values.count, 1))
    }
    let magnitudes = values.map(abs).sorted()
    return GradientUnderflow(
        step: step, nonzero: values.count,
        medianMagnitude: magnitudes.isEmpty ? 0 : magnitudes[magnitudes.count / 2],
        zeroInFP16: share { HalfFormat.float16.round($0) == 0 },
        subnormalInFP16: share { abs($0) < HalfFormat.float16.smallestNormal && HalfFormat.float16.round($0) != 0 },
        zeroInFP16Scaled: share { HalfFormat.float16.round($0 * lossScale) == 0 },
        overflowInFP16Scaled: share { HalfFormat.float16.round($0 * lossScale).isInfinite },
        zeroInBF16: share { HalfFormat.bfloat16.round($0) == 0 })
}
// ANCHOR_END: underflow

/// One precision run: the loss of every step, the scale in use, which steps were skipped, and the
/// underflow measured on the way (fp32 run only).
public struct PrecisionRun: Sendable {
    public var mode: PrecisionMode
    public var losses: [Float] = []
    /// The loss scale each step used (1 without scaling).
    public var scales: [Float] = []
    /// Steps (from 1) whose update was skipped because a scaled gradient overflowed.
    public var skippedSteps: [Int] = []
    /// The share of nonzero Float32 gradient elements that 16-bit storage turned into 0, each step.
    public var zeroShares: [Double] = []
    public var underflow: [GradientUnderflow] = []

    public func tailLoss(_ n: Int = 20) -> Float {
        let tail = losses.suffix(n)
        return tail.reduce(0, +) / Float(tail.count)
    }
}

/// The blobs and the fresh model every precision run starts from (same seed, same weights).
public func makeBlobs(_ settings: PrecisionSettings) -> TensorDataset {
    SyntheticData.blobs(count: settings.count, classes: 4, spread: 0.4, radius: 2, generator: Generator(seed: settings.seed))
}

/// Steps at which the fp32 run measures what 16-bit storage would do to its gradients.
public let underflowSteps = [1, 50, 100, 200, 300, 400]

/// Trains the classifier with gradients kept in `mode`'s format. The weights and the optimizer
/// stay in Float32 (the "master weights" of mixed precision); only the gradients pass through
/// 16 bits, as they do when a model computes its backward pass in fp16.
public func trainPrecision(_ mode: PrecisionMode, data: TensorDataset, settings: PrecisionSettings) -> PrecisionRun {
    let g = Generator(seed: settings.seed)
    let model = MLP(sizes: [2, 64, 64, 4], generator: g)
    let optimizer = Adam(parameters: model.parameters(), learningRate: settings.learningRate)
    let loader = DataLoader(data, batchSize: settings.batchSize, shuffle: true, dropLast: true, seed: settings.seed,
                            collate: Batch.collate)
    let scaler = mode == .fp16Dynamic ? GradScaler(initScale: settings.lossScale, growthInterval: settings.growthInterval) : nil
    let staticScale: Float = mode == .fp16Static ? settings.lossScale : 1
    var run = PrecisionRun(mode: mode)
    var step = 0
    while step < settings.maxSteps {
        for batch in loader.epoch(step / loader.count) where step < settings.maxSteps {
            step += 1
            // ANCHOR: mixed-step
            let scale = scaler?.scale ?? staticScale
            optimizer.zeroGrad()
            let loss = CrossEntropyLoss()(model(batch.inputs), batch.labels)   // [B, 2] -> [B, 4] -> scalar
            (loss * scale).backward()                 // every gradient is `scale` times larger
            if mode == .fp32 && underflowSteps.contains(step) {
                run.underflow.append(measureUnderflow(model.parameters(), step: step, lossScale: settings.lossScale))
            }
            var zeroed = 0, nonzero = 0
            if let format = mode.format {             // the gradients, as 16-bit storage holds them
                for p in model.parameters() {
                    let grad = p.grad!.pointer
                    for i in 0..<p.count where grad[i] != 0 {
                        nonzero += 1
                        grad[i] = format.round(grad[i])
                        if grad[i] == 0 { zeroed += 1 }
                    }
                }
            }
            let foundInf = unscaleGradients(model.parameters(), scale: scale)   // back to true size, in fp32
            if foundInf {
                run.skippedSteps.append(step)         // an overflowed gradient: skip this update
            } else {
                optimizer.step()
            }
            scaler?.update(foundInf: foundInf)
            // ANCHOR_END: mixed-step
            run.losses.append(loss.item())
            run.scales.append(scale)
            run.zeroShares.append(nonzero == 0 ? 0 : Double(zeroed) / Double(nonzero))
        }
    }
    return run
}
