import Testing
import MiniTorch

/// ex05_2: keeping and restoring the best weights (Sources/MiniTorch/Training/EarlyStoppingCallback.swift,
/// `keepBestWeights` and `onTrainEnd`), Hugging Face's `load_best_model_at_end=True`. The copy
/// must be a copy: the optimizer changes the model's tensors in place after every step.
@Suite("ex05_2: restoring the best weights")
struct Ex05_2 {
    static func values(_ model: Module) -> [[Float]] { model.parameters().map(\.scalars) }

    /// Moves every weight in place, as an optimizer step does.
    static func perturb(_ model: Module, by amount: Float) {
        for p in model.parameters() {
            for i in 0..<p.count { p.pointer[i] += amount * Float(i + 1) }
        }
    }

    @Test func restoresTheWeightsKeptAtTheBest() {
        let model = MLP(sizes: [2, 4, 2], generator: Generator(seed: 9))
        let callback = EarlyStoppingCallback(patience: 2)
        Self.perturb(model, by: 0.01)
        callback.keepBestWeights(of: model)
        let best = Self.values(model)
        Self.perturb(model, by: 0.5)            // later steps move the weights on
        #expect(Self.values(model) != best)
        callback.onTrainEnd(state: TrainerState(), model: model)
        #expect(Self.values(model) == best, "after onTrainEnd the model should hold the weights it had at keepBestWeights")
    }

    @Test func aLaterBestReplacesTheEarlierOne() {
        let model = Linear(inFeatures: 3, outFeatures: 2, generator: Generator(seed: 2))
        let callback = EarlyStoppingCallback(patience: 2)
        callback.keepBestWeights(of: model)
        Self.perturb(model, by: 0.1)
        callback.keepBestWeights(of: model)
        let second = Self.values(model)
        Self.perturb(model, by: -0.3)
        callback.onTrainEnd(state: TrainerState(), model: model)
        #expect(Self.values(model) == second, "the most recent best is the one restored")
    }

    @Test func nothingRestoredWhenTurnedOff() {
        let model = Linear(inFeatures: 2, outFeatures: 2, generator: Generator(seed: 3))
        let callback = EarlyStoppingCallback(patience: 2, restoreBestWeights: false)
        Self.perturb(model, by: 0.2)
        let last = Self.values(model)
        callback.onTrainEnd(state: TrainerState(), model: model)
        #expect(Self.values(model) == last, "restoreBestWeights false: the last weights stay")
        let fresh = EarlyStoppingCallback(patience: 2)
        fresh.onTrainEnd(state: TrainerState(), model: model)   // no best kept yet: nothing to restore
        #expect(Self.values(model) == last)
    }
}
