/// Stops training once the watched metric has not improved for `patience` evaluations in a
/// row, and at the end puts back the weights of the best evaluation.
///
/// Hugging Face's `EarlyStoppingCallback(early_stopping_patience, early_stopping_threshold)`
/// together with `load_best_model_at_end=True`: a value counts as an improvement when it is
/// better than the best so far by more than `threshold`; otherwise the patience counter goes up,
/// and reaching `patience` stops the run. HF reloads the best checkpoint from disk; here a copy
/// of the state dict, taken at each new best, is loaded back in `onTrainEnd`.
public final class EarlyStoppingCallback: StatefulCallback {
    public let patience: Int
    public let threshold: Double
    /// An evaluation metric name, "eval_loss" or "eval_accuracy" ("loss" means "eval_loss").
    public let metric: String
    public let greaterIsBetter: Bool
    public let restoreBestWeights: Bool

    /// The best value seen, and when (step and epoch of that evaluation, its number from 1).
    public private(set) var bestValue: Double?
    public private(set) var bestStep: Int?
    public private(set) var bestEpoch: Double?
    public private(set) var bestEvaluation: Int?
    /// Evaluations seen so far, and how many of the latest were not improvements.
    public private(set) var evaluations = 0
    public private(set) var evaluationsWithoutImprovement = 0
    /// The step at which this callback stopped the run, if it did.
    public private(set) var stoppedAtStep: Int?
    /// A copy of the weights at the best evaluation.
    public private(set) var bestWeights: [(String, Tensor)]?

    public init(patience: Int = 3, threshold: Double = 0, metric: String = "eval_loss", greaterIsBetter: Bool = false,
                restoreBestWeights: Bool = true) {
        if patience < 1 { fail("EarlyStoppingCallback: patience must be at least 1 (got \(patience))") }
        if !(threshold >= 0) { fail("EarlyStoppingCallback: threshold must not be negative (got \(threshold))") }
        self.patience = patience
        self.threshold = threshold
        self.metric = metric.hasPrefix("eval_") ? metric : "eval_\(metric)"
        self.greaterIsBetter = greaterIsBetter
        self.restoreBestWeights = restoreBestWeights
    }

    public func onEvaluate(_ metrics: [String: Double], state: TrainerState, control: inout TrainerControl, model: Module) {
        guard let value = metrics[metric] else {
            fail("EarlyStoppingCallback: metric \"\(metric)\" is not among the evaluation metrics \(metrics.keys.sorted())")
        }
        evaluations += 1
        // BEGIN SOLUTION ex05_1
        // HF check_metric_value: better than the best by more than the threshold.
        let improved = bestValue.map { best in
            (greaterIsBetter ? value > best : value < best) && abs(value - best) > threshold
        } ?? true
        if improved {
            bestValue = value
            bestStep = state.globalStep
            bestEpoch = state.epoch
            bestEvaluation = evaluations
            evaluationsWithoutImprovement = 0
        } else {
            evaluationsWithoutImprovement += 1
        }
        if evaluationsWithoutImprovement >= patience {
            control.shouldTrainingStop = true
            stoppedAtStep = state.globalStep
        }
        // END SOLUTION
        if restoreBestWeights && bestEvaluation == evaluations { keepBestWeights(of: model) }   // a new best
    }

    /// Keeps a copy of the model's weights as the best so far (`onEvaluate` calls it at every new
    /// best). A copy: the optimizer keeps changing the model's own tensors in place.
    public func keepBestWeights(of model: Module) {
        // BEGIN SOLUTION ex05_2
        bestWeights = model.stateDict().map { ($0.0, $0.1.clone()) }
        // END SOLUTION
    }

    public func onTrainEnd(state: TrainerState, model: Module) {
        // BEGIN SOLUTION ex05_2
        if restoreBestWeights, let bestWeights { model.loadStateDict(bestWeights) }
        // END SOLUTION
    }
}

extension EarlyStoppingCallback {
    /// The counters, and the best weights, as HF's `EarlyStoppingCallback.state()` keeps
    /// `early_stopping_patience_counter`: a resumed run stops where the straight one would.
    public func exportState() -> (values: [String: Double], tensors: [(String, Tensor)]) {
        var values: [String: Double] = ["evaluations": Double(evaluations),
                                        "evaluations_without_improvement": Double(evaluationsWithoutImprovement)]
        values["best_value"] = bestValue
        values["best_step"] = bestStep.map(Double.init)
        values["best_epoch"] = bestEpoch
        values["best_evaluation"] = bestEvaluation.map(Double.init)
        values["stopped_at_step"] = stoppedAtStep.map(Double.init)
        return (values, bestWeights ?? [])
    }

    public func restoreState(values: [String: Double], tensors: [String: Tensor]) throws {
        func count(_ key: String) throws -> Int {
            guard let v = values[key], let n = Int(exactly: v), n >= 0 else {
                throw TrainingError.checkpoint("EarlyStoppingCallback state needs a whole number \"\(key)\"")
            }
            return n
        }
        evaluations = try count("evaluations")
        evaluationsWithoutImprovement = try count("evaluations_without_improvement")
        bestValue = values["best_value"]
        bestStep = try values["best_step"].map { _ in try count("best_step") }
        bestEpoch = values["best_epoch"]
        bestEvaluation = try values["best_evaluation"].map { _ in try count("best_evaluation") }
        stoppedAtStep = try values["stopped_at_step"].map { _ in try count("stopped_at_step") }
        bestWeights = restoreBestWeights && !tensors.isEmpty ? tensors.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } : nil
    }
}
