/// The knobs of a training run, named and defaulted as Hugging Face's `TrainingArguments`
/// (transformers/training_args.py), in Swift casing: `learning_rate` is `learningRate`.
///
/// Differences from HF, all to keep a small run simple: `numTrainEpochs` is a whole number;
/// `evalSteps` nil means "evaluate at the end of every epoch" (HF: `eval_strategy="epoch"`);
/// `maxGradNorm` nil or 0 turns clipping off; `optim` names three optimizers.
public struct TrainingArguments: Sendable {
    /// The optimizers the Trainer can build (HF `optim`: "adamw_torch", "sgd", "adam").
    public enum OptimizerName: String, Sendable, CaseIterable {
        case adamw, adam, sgd
    }

    /// When to write a training-loss row (HF `logging_strategy`).
    public enum LoggingStrategy: String, Sendable {
        case steps, epoch
    }

    public var numTrainEpochs = 3
    public var perDeviceTrainBatchSize = 8
    public var perDeviceEvalBatchSize = 8
    public var learningRate: Float = 5e-5
    public var lrSchedulerType: SchedulerType = .linear
    public var warmupSteps = 0
    /// Micro-batches whose gradients add up before one optimizer step.
    public var gradientAccumulationSteps = 1
    /// AdamW's decoupled decay; never applied to biases or LayerNorm parameters (see `decayParameterNames`).
    public var weightDecay: Float = 0
    public var adamBeta1: Float = 0.9
    public var adamBeta2: Float = 0.999
    public var adamEpsilon: Float = 1e-8
    /// Clip the global gradient norm to this; nil or 0 = no clipping (the norm is still logged).
    public var maxGradNorm: Float? = 1.0
    public var loggingStrategy = LoggingStrategy.steps
    /// With `.steps`, log the mean training loss every this many optimizer steps.
    public var loggingSteps = 500
    /// Evaluate every this many optimizer steps; nil = at the end of each epoch.
    public var evalSteps: Int? = nil
    /// Stop after this many optimizer steps (overrides `numTrainEpochs`); -1 = no limit.
    public var maxSteps = -1
    /// Seeds the order of the training data (model initialisation is seeded by its own generator).
    public var seed = 42
    public var optim = OptimizerName.adamw
    public var dataloaderDropLast = false
    /// Write a checkpoint folder `checkpoint-<step>/` every this many optimizer steps, and at
    /// the last step (HF `save_steps` with `save_strategy="steps"`); nil = no checkpoints.
    public var saveSteps: Int? = nil
    /// Keep only the newest this many checkpoint folders, deleting older ones (HF
    /// `save_total_limit`); nil = keep all.
    public var saveTotalLimit: Int? = nil
    /// Where checkpoint folders go (HF `output_dir`, whose default is also "trainer_output").
    public var outputDir = "trainer_output"
    /// Fill the wall-clock `seconds` column of the log. Turn it off when two runs' CSVs must be
    /// byte-identical: every other column is a pure function of the seed.
    public var logSeconds = true

    public init(numTrainEpochs: Int = 3, perDeviceTrainBatchSize: Int = 8, perDeviceEvalBatchSize: Int = 8,
                learningRate: Float = 5e-5, lrSchedulerType: SchedulerType = .linear, warmupSteps: Int = 0,
                gradientAccumulationSteps: Int = 1, weightDecay: Float = 0, adamBeta1: Float = 0.9,
                adamBeta2: Float = 0.999, adamEpsilon: Float = 1e-8, maxGradNorm: Float? = 1.0,
                loggingStrategy: LoggingStrategy = .steps, loggingSteps: Int = 500, evalSteps: Int? = nil,
                maxSteps: Int = -1, seed: Int = 42, optim: OptimizerName = .adamw, dataloaderDropLast: Bool = false,
                saveSteps: Int? = nil, saveTotalLimit: Int? = nil, outputDir: String = "trainer_output", logSeconds: Bool = true) {
        self.numTrainEpochs = numTrainEpochs
        self.perDeviceTrainBatchSize = perDeviceTrainBatchSize
        self.perDeviceEvalBatchSize = perDeviceEvalBatchSize
        self.learningRate = learningRate
        self.lrSchedulerType = lrSchedulerType
        self.warmupSteps = warmupSteps
        self.gradientAccumulationSteps = gradientAccumulationSteps
        self.weightDecay = weightDecay
        self.adamBeta1 = adamBeta1
        self.adamBeta2 = adamBeta2
        self.adamEpsilon = adamEpsilon
        self.maxGradNorm = maxGradNorm
        self.loggingStrategy = loggingStrategy
        self.loggingSteps = loggingSteps
        self.evalSteps = evalSteps
        self.maxSteps = maxSteps
        self.seed = seed
        self.optim = optim
        self.dataloaderDropLast = dataloaderDropLast
        self.saveSteps = saveSteps
        self.saveTotalLimit = saveTotalLimit
        self.outputDir = outputDir
        self.logSeconds = logSeconds
    }

    /// The first invalid value, in one line a learner can act on, or nil if all are valid.
    public func validate() -> String? {
        if numTrainEpochs < 1 && maxSteps <= 0 { return "numTrainEpochs must be at least 1 (got \(numTrainEpochs))" }
        if perDeviceTrainBatchSize < 1 { return "perDeviceTrainBatchSize must be at least 1 (got \(perDeviceTrainBatchSize))" }
        if perDeviceEvalBatchSize < 1 { return "perDeviceEvalBatchSize must be at least 1 (got \(perDeviceEvalBatchSize))" }
        if !(learningRate > 0) || !learningRate.isFinite { return "learningRate must be a positive number (got \(learningRate))" }
        if warmupSteps < 0 { return "warmupSteps must not be negative (got \(warmupSteps))" }
        if gradientAccumulationSteps < 1 { return "gradientAccumulationSteps must be at least 1 (got \(gradientAccumulationSteps))" }
        if !(weightDecay >= 0) { return "weightDecay must not be negative (got \(weightDecay))" }
        if !(0..<1).contains(adamBeta1) { return "adamBeta1 must be in [0, 1) (got \(adamBeta1))" }
        if !(0..<1).contains(adamBeta2) { return "adamBeta2 must be in [0, 1) (got \(adamBeta2))" }
        if !(adamEpsilon >= 0) { return "adamEpsilon must not be negative (got \(adamEpsilon))" }
        if let maxGradNorm, !(maxGradNorm >= 0) { return "maxGradNorm must not be negative (got \(maxGradNorm)); use 0 or nil to turn clipping off" }
        if loggingStrategy == .steps && loggingSteps < 1 { return "loggingSteps must be at least 1 (got \(loggingSteps))" }
        if let evalSteps, evalSteps < 1 { return "evalSteps must be at least 1 (got \(evalSteps)); leave it nil to evaluate every epoch" }
        if maxSteps == 0 || maxSteps < -1 { return "maxSteps must be positive, or -1 for no limit (got \(maxSteps))" }
        if let saveSteps, saveSteps < 1 { return "saveSteps must be at least 1 (got \(saveSteps)); leave it nil for no checkpoints" }
        if let saveTotalLimit, saveTotalLimit < 1 { return "saveTotalLimit must be at least 1 (got \(saveTotalLimit)); leave it nil to keep every checkpoint" }
        if saveSteps != nil && outputDir.isEmpty { return "outputDir must name a folder when saveSteps is set" }
        return nil
    }
}
