/// Where a run is, as Hugging Face's `TrainerState`: what callbacks read.
public struct TrainerState: Sendable {
    /// Optimizer steps done so far (HF `global_step`).
    public var globalStep = 0
    /// Epochs done, fractional mid-epoch (2.5 = half-way through the third), as HF's `epoch`.
    public var epoch: Double = 0
    /// Optimizer steps the run will take in all.
    public var maxSteps = 0
    public var numTrainEpochs = 0
    /// The learning rate of the latest step.
    public var learningRate: Float = 0
    /// The training loss of the latest step (mean over its micro-batches).
    public var loss: Float?
    /// The gradient norm of the latest step, before clipping.
    public var gradNorm: Float?

    public init() {}
}

/// What a callback may ask of the loop, as HF's `TrainerControl`.
public struct TrainerControl: Sendable {
    /// Set to end training after this step (what early stopping does).
    public var shouldTrainingStop = false
    public init() {}
}

/// Hooks into the Trainer's loop, as Hugging Face's `TrainerCallback`. Every method has an
/// empty default, so a callback implements only the moments it cares about.
public protocol TrainerCallback: AnyObject {
    /// After each optimizer step.
    func onStepEnd(state: TrainerState, control: inout TrainerControl)
    /// After each evaluation, with its metrics ("eval_loss", "eval_accuracy").
    func onEvaluate(_ metrics: [String: Double], state: TrainerState, control: inout TrainerControl, model: Module)
    /// After a row was added to the metrics log.
    func onLog(_ row: MetricsRow, state: TrainerState, control: inout TrainerControl)
    /// After the last step of each epoch.
    func onEpochEnd(state: TrainerState, control: inout TrainerControl)
    /// Once, when the loop is over (normally or stopped by a callback).
    func onTrainEnd(state: TrainerState, model: Module)
}

extension TrainerCallback {
    public func onStepEnd(state: TrainerState, control: inout TrainerControl) {}
    public func onEvaluate(_ metrics: [String: Double], state: TrainerState, control: inout TrainerControl, model: Module) {}
    public func onLog(_ row: MetricsRow, state: TrainerState, control: inout TrainerControl) {}
    public func onEpochEnd(state: TrainerState, control: inout TrainerControl) {}
    public func onTrainEnd(state: TrainerState, model: Module) {}
}
