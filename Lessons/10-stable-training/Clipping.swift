import MiniTorch

/// One training run of the regression, step by step.
public struct StabilityRun: Sendable {
    public var name: String
    public var learningRate: Float
    /// nil: no clipping.
    public var maxGradNorm: Float?
    /// The loss of every step, as computed (the last one is NaN or inf when the detector stopped the run).
    public var losses: [Float] = []
    /// The total gradient norm of every step, measured before clipping (what HF logs as grad_norm).
    public var gradNorms: [Float] = []
    /// What the NaN detector said when it stopped the run; nil when the run finished.
    public var stopped: TrainingError?

    /// Steps whose gradient was scaled down by clipping.
    public var clippedSteps: Int { maxGradNorm.map { m in gradNorms.filter { $0 > m }.count } ?? 0 }
    /// The step at which the detector stopped the run.
    public var stoppedAt: Int? {
        if case .nonFinite(_, _, let step, _)? = stopped { return step }
        return nil
    }
    /// Mean loss of the last `n` steps (a finished run's final level).
    public func tailLoss(_ n: Int = 20) -> Float {
        let tail = losses.suffix(n)
        return tail.reduce(0, +) / Float(tail.count)
    }
}

// ANCHOR: detector
/// Stops a run at the first step whose loss or gradient norm is not a finite number, and names
/// that step: `loss became NaN at step 40 (learning rate 0.05); try a lower --learning-rate`.
///
/// One NaN poisons everything it touches: its gradient is NaN, the update writes NaN into the
/// weights, and every later loss is NaN. So the step where it first appears is the one to report;
/// a log that only shows "loss nan" from step 41 on hides where it came from.
public struct NaNDetector: Sendable {
    public var learningRate: Float

    public init(learningRate: Float) { self.learningRate = learningRate }

    public func check(_ quantity: String, _ value: Float, step: Int) throws {
        if !value.isFinite {
            throw TrainingError.nonFinite(quantity: quantity, value: value, step: step, learningRate: learningRate)
        }
    }
}
// ANCHOR_END: detector

/// Trains a fresh regression MLP (same initial weights and batches in every run: both come from
/// the seed) with plain SGD, optionally clipping the gradient norm to `maxGradNorm`.
/// `badBatchAt` corrupts one input of that step's batch with a NaN, as a broken record in the data would.
public func trainRegression(_ problem: RegressionProblem, name: String, learningRate: Float, maxGradNorm: Float?,
                            steps: Int, batchSize: Int, seed: Int, badBatchAt: Int? = nil) -> StabilityRun {
    let model = makeRegressionModel(seed: seed)
    let optimizer = SGD(parameters: model.parameters(), learningRate: learningRate)
    let detector = NaNDetector(learningRate: learningRate)
    var run = StabilityRun(name: name, learningRate: learningRate, maxGradNorm: maxGradNorm)
    do {
        for step in 1...steps {
            let (x, y) = problem.batch(problem.indices(step: step - 1, batchSize: batchSize, seed: seed))
            if step == badBatchAt { x.pointer[0] = .nan }
            // ANCHOR: step
            optimizer.zeroGrad()
            let loss = MSELoss()(model(x), y)                      // [B, 8] -> [B, 1] -> scalar
            run.losses.append(loss.item())
            try detector.check("loss", loss.item(), step: step)
            loss.backward()
            // torch.nn.utils.clip_grad_norm_: returns the norm before clipping, then rescales
            // every gradient by maxGradNorm / norm when the norm is larger.
            let norm = clipGradNorm(model.parameters(), maxNorm: maxGradNorm ?? .infinity)
            run.gradNorms.append(norm)
            try detector.check("gradient norm", norm, step: step)
            optimizer.step()
            // ANCHOR_END: step
        }
    } catch let error as TrainingError {
        run.stopped = error
    } catch {
        preconditionFailure("only the detector throws here")
    }
    return run
}
