import Foundation
import Testing
@testable import MiniTorch

/// A fresh folder under the system temporary folder, removed by `remove()`.
struct ScratchFolder {
    let url: URL
    init(_ tag: String) {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("reliability-\(tag)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func remove() { try? FileManager.default.removeItem(at: url) }
    func names() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() }
}

/// Ends the run after a given step, as if the process had been stopped there (after the
/// step's checkpoint was written).
final class StopAtStep: TrainerCallback {
    let step: Int
    init(_ step: Int) { self.step = step }
    func onStepEnd(state: TrainerState, control: inout TrainerControl) {
        if state.globalStep == step { control.shouldTrainingStop = true }
    }
}

struct InjectedFailure: Error, CustomStringConvertible {
    var description: String { "disk full (injected)" }
}

@Suite("Checkpoint and resume")
struct CheckpointTests {
    /// 4 blobs, 160 training and 80 validation examples.
    static func data() -> (train: TensorDataset, validation: TensorDataset) {
        let all = SyntheticData.blobs(count: 240, classes: 4, spread: 0.8, generator: Generator(seed: 11))
        let (train, validation) = trainValidationSplit(count: all.count, validationFraction: 1.0 / 3, seed: 3)
        func take(_ indices: [Int]) -> TensorDataset {
            let examples = indices.map { all[$0] }
            return TensorDataset(features: Batch.collate(examples).inputs, labels: examples.map(\.label))
        }
        return (take(train), take(validation))
    }

    /// An MLP with dropout drawing from `generator`, so a resumed run must restore its state.
    /// Batch 12 of 160 examples: 14 shuffled batches an epoch, the last one of 4.
    static func makeTrainer(modelSeed: Int = 1, dropoutSeed: UInt64 = 7, args: TrainingArguments,
                            callbacks: [TrainerCallback] = []) -> Trainer<TensorDataset, Batch> {
        let generator = Generator(seed: dropoutSeed)
        let model = MLP(sizes: [2, 16, 16, 4], dropout: 0.3, generator: Generator(seed: modelSeed))
        // The dropout layers share one generator; give them the one the test controls.
        let withDropout = MLP(sizes: [2, 16, 16, 4], dropout: 0.3, generator: generator)
        withDropout.loadStateDict(model.stateDict())
        let (train, validation) = data()
        return Trainer(model: withDropout, args: args, trainDataset: train, evalDataset: validation,
                       callbacks: callbacks, rngs: [generator])
    }

    static func args(_ folder: ScratchFolder, saveSteps: Int? = 10, saveTotalLimit: Int? = nil, seed: Int = 42) -> TrainingArguments {
        TrainingArguments(numTrainEpochs: 3, perDeviceTrainBatchSize: 12, learningRate: 1e-2, warmupSteps: 4,
                          weightDecay: 0.01, loggingSteps: 3, evalSteps: 8, seed: seed,
                          saveSteps: saveSteps, saveTotalLimit: saveTotalLimit, outputDir: folder.url.path, logSeconds: false)
    }

    static func weights(_ trainer: Trainer<TensorDataset, Batch>) -> [[Float]] {
        trainer.model.stateDict().map(\.1.scalars)
    }

    /// The checkpoint's promise: N steps straight, or K steps, a checkpoint, a fresh process
    /// (new model, optimizer, generator, callbacks) resuming to N, give the same run bit for bit.
    @Test func resumedRunIsIdenticalToTheStraightRun() throws {
        let straightFolder = ScratchFolder("straight"), folder = ScratchFolder("resume")
        defer { straightFolder.remove(); folder.remove() }

        let straightStopping = EarlyStoppingCallback(patience: 100)
        let straight = Self.makeTrainer(args: Self.args(straightFolder), callbacks: [straightStopping])
        let full = try straight.train()
        #expect(full.globalStep == 42)   // 14 batches x 3 epochs

        // Interrupted after step 20: the 6th batch of epoch 2, mid-epoch, between log rows (every
        // 3 steps) so two losses wait to be averaged, after two evaluations (steps 8 and 16).
        let first = Self.makeTrainer(args: Self.args(folder), callbacks: [EarlyStoppingCallback(patience: 100), StopAtStep(20)])
        let partial = try first.train()
        #expect(partial.globalStep == 20 && partial.stoppedEarly)
        #expect(folder.names() == ["checkpoint-10", "checkpoint-20"])
        #expect(Array(full.stepLosses.prefix(20)) == partial.stepLosses)

        // A new process: other initial weights and another dropout seed, all to be overwritten.
        let resumedStopping = EarlyStoppingCallback(patience: 100)
        let resumed = Self.makeTrainer(modelSeed: 99, dropoutSeed: 12345, args: Self.args(folder), callbacks: [resumedStopping])
        #expect(Self.weights(resumed) != Self.weights(first))
        let rest = try resumed.train(resumeFromCheckpoint: folder.url.appendingPathComponent("checkpoint-20"))

        #expect(rest.globalStep == 42)
        #expect(rest.stepLosses.count == 42)
        #expect(rest.stepLosses == full.stepLosses)   // every loss, bit for bit (Float ==)
        #expect(rest.log.rows == full.log.rows)       // loss, lr, grad norm, eval loss, accuracy of every row
        #expect(rest.log.csv() == full.log.csv())
        #expect(Self.weights(resumed) == Self.weights(straight))
        #expect(rest.trainingLoss == full.trainingLoss)
        #expect(resumedStopping.evaluations == straightStopping.evaluations)
        #expect(resumedStopping.bestStep == straightStopping.bestStep)
        func byName(_ w: [(String, Tensor)]?) -> [String]? { w?.sorted { $0.0 < $1.0 }.map { "\($0.0) \($0.1.scalars)" } }
        #expect(byName(resumedStopping.bestWeights) == byName(straightStopping.bestWeights))
        // The checkpoints the resumed run wrote are the straight run's, byte for byte.
        for name in ["checkpoint-30", "checkpoint-40", "checkpoint-42"] {
            for file in [TrainerCheckpoint.modelFile, TrainerCheckpoint.optimizerFile, TrainerCheckpoint.stateFile] {
                let a = FileManager.default.contents(atPath: straightFolder.url.appendingPathComponent("\(name)/\(file)").path)
                let b = FileManager.default.contents(atPath: folder.url.appendingPathComponent("\(name)/\(file)").path)
                #expect(a != nil && a == b, "\(name)/\(file)")
            }
        }
    }

    /// The test above can fail: the dropout generator's state changes the losses, and so does
    /// leaving the optimizer state behind.
    @Test func generatorAndOptimizerStateMatter() throws {
        let folder = ScratchFolder("matter")
        defer { folder.remove() }
        let a = try Self.makeTrainer(dropoutSeed: 7, args: Self.args(folder, saveSteps: nil)).train().stepLosses
        let b = try Self.makeTrainer(dropoutSeed: 8, args: Self.args(folder, saveSteps: nil)).train().stepLosses
        #expect(a.count == 42 && a != b)

        let straight = try Self.makeTrainer(args: Self.args(folder, saveSteps: 20)).train().stepLosses
        // Model weights only, fresh Adam moments: a different continuation.
        let resumed = Self.makeTrainer(args: Self.args(folder, saveSteps: nil))
        try resumed.model.load(from: folder.url.appendingPathComponent("checkpoint-20/model.safetensors"))
        #expect(try resumed.train().stepLosses != straight)
    }

    /// Gradient accumulation (2 micro-batches a step, 7 steps an epoch) and a checkpoint at the
    /// end of an epoch (step 7), which resumes at batch 0 of the next.
    @Test func resumeAtAnEpochBoundaryWithAccumulation() throws {
        let straightFolder = ScratchFolder("acc-straight"), folder = ScratchFolder("acc")
        defer { straightFolder.remove(); folder.remove() }
        func args(_ f: ScratchFolder) -> TrainingArguments {
            var a = Self.args(f, saveSteps: 7)
            a.gradientAccumulationSteps = 2
            a.optim = .sgd
            return a
        }
        let full = try Self.makeTrainer(args: args(straightFolder)).train()
        #expect(full.globalStep == 21)
        _ = try Self.makeTrainer(args: args(folder), callbacks: [StopAtStep(7)]).train()
        let state = try TrainerCheckpoint.decoder().decode(TrainerCheckpoint.self, from:
            Data(contentsOf: folder.url.appendingPathComponent("checkpoint-7/trainer_state.json")))
        #expect((state.epochIndex, state.batchInEpoch, state.globalStep) == (1, 0, 7))
        let rest = try Self.makeTrainer(modelSeed: 5, args: args(folder)).train(resumeFromCheckpoint: folder.url.appendingPathComponent("checkpoint-7"))
        #expect(rest.stepLosses == full.stepLosses)
        #expect(rest.log.rows == full.log.rows)
    }

    @Test func saveTotalLimitKeepsTheNewest() throws {
        let folder = ScratchFolder("limit")
        defer { folder.remove() }
        let trainer = Self.makeTrainer(args: Self.args(folder, saveSteps: 5, saveTotalLimit: 2))
        try trainer.train()
        #expect(folder.names() == ["checkpoint-40", "checkpoint-42"])   // 5, 10, ..., 40 and the last step
        #expect(trainer.lastCheckpoint?.lastPathComponent == "checkpoint-42")
        #expect(TrainerCheckpoint.latest(in: folder.url)?.lastPathComponent == "checkpoint-42")
        // Resuming from the last step has nothing left to do and gives the finished run.
        let again = Self.makeTrainer(args: Self.args(folder, saveSteps: nil))
        let output = try again.train(resumeFromCheckpoint: folder.url.appendingPathComponent("checkpoint-42"))
        #expect(output.globalStep == 42 && output.stepLosses.count == 42)
        #expect(Self.weights(again) == Self.weights(trainer))
    }

    /// A write that fails half-way (after model.safetensors, before the rest) leaves no
    /// checkpoint-10, no temporary folder, and checkpoint-5 as good as before.
    @Test func interruptedWriteLeavesTheLastGoodCheckpoint() throws {
        let folder = ScratchFolder("atomic")
        defer { folder.remove() }
        let trainer = Self.makeTrainer(args: Self.args(folder, saveSteps: 5))
        trainer.checkpointWriteHook = { temporary in
            if temporary.lastPathComponent.hasPrefix(".checkpoint-10.") { throw InjectedFailure() }
        }
        let target = folder.url.appendingPathComponent("checkpoint-10").path
        #expect(throws: TrainingError.checkpoint("cannot write checkpoint \(target): disk full (injected)")) {
            try trainer.train()
        }
        #expect(folder.names() == ["checkpoint-5"])
        let resumed = Self.makeTrainer(args: Self.args(folder, saveSteps: nil))
        let output = try resumed.train(resumeFromCheckpoint: folder.url.appendingPathComponent("checkpoint-5"))
        let straight = try Self.makeTrainer(args: Self.args(ScratchFolder("unused"), saveSteps: nil)).train()
        #expect(output.stepLosses == straight.stepLosses)
    }

    @Test func unwritableOutputDirIsOneLine() throws {
        var args = Self.args(ScratchFolder("unused"), saveSteps: 5)
        args.outputDir = "/dev/null/checkpoints"
        #expect(throws: TrainingError.checkpoint("cannot write checkpoint /dev/null/checkpoints/checkpoint-5: cannot create a folder in /dev/null/checkpoints")) {
            try Self.makeTrainer(args: args).train()
        }
    }

    /// Each broken checkpoint and the one line it gets; nothing traps.
    @Test func brokenCheckpointsGetOneLine() throws {
        let folder = ScratchFolder("broken")
        defer { folder.remove() }
        try Self.makeTrainer(args: Self.args(folder, saveSteps: 10), callbacks: [StopAtStep(10)]).train()
        let good = folder.url.appendingPathComponent("checkpoint-10")
        func copy(_ tag: String, _ change: (URL) throws -> Void) throws -> URL {
            let url = folder.url.appendingPathComponent(tag)
            try FileManager.default.copyItem(at: good, to: url)
            try change(url)
            return url
        }
        func message(_ url: URL, args: TrainingArguments? = nil, rngs: Int = 1) -> String {
            let trainer = Self.makeTrainer(args: args ?? Self.args(folder, saveSteps: nil))
            if rngs == 0 { trainer.rngs = [] }
            do { try trainer.train(resumeFromCheckpoint: url); return "no error" } catch { return "\(error)" }
        }
        let flag = "--resume-from-checkpoint"
        let missing = URL(fileURLWithPath: "/x")
        #expect(message(missing) == "\(flag) /x: no such folder; pass a folder written by --save-steps")
        let empty = folder.url.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(message(empty) == "\(flag) \(empty.path): no trainer_state.json there; pass a folder written by --save-steps")
        let file = good.appendingPathComponent("model.safetensors")
        #expect(message(file) == "\(flag) \(file.path): is a file, not a checkpoint folder; pass a folder written by --save-steps")

        let truncatedState = try copy("truncated-state") { url in
            let state = url.appendingPathComponent("trainer_state.json")
            try Data(try Data(contentsOf: state).prefix(100)).write(to: state)
        }
        #expect(message(truncatedState) == "\(flag) \(truncatedState.path): trainer_state.json is damaged: not valid JSON")
        let noStep = try copy("no-step") { url in
            let state = url.appendingPathComponent("trainer_state.json")
            let text = try String(contentsOf: state, encoding: .utf8).replacingOccurrences(of: "\"global_step\"", with: "\"globalstep\"")
            try text.write(to: state, atomically: false, encoding: .utf8)
        }
        #expect(message(noStep) == "\(flag) \(noStep.path): trainer_state.json is damaged: no \"global_step\"")
        let badModel = try copy("bad-model") { url in
            let model = url.appendingPathComponent("model.safetensors")
            try Data(try Data(contentsOf: model).dropLast(4)).write(to: model)
        }
        #expect(message(badModel).hasPrefix("\(flag) \(badModel.path): \(badModel.path)/model.safetensors: "))
        let noOptimizer = try copy("no-optimizer") { url in
            try FileManager.default.removeItem(at: url.appendingPathComponent("optimizer.safetensors"))
        }
        #expect(message(noOptimizer) == "\(flag) \(noOptimizer.path): \(noOptimizer.path)/optimizer.safetensors: cannot read: no such file")
        #expect(message(good, args: Self.args(folder, saveSteps: nil, seed: 7))
                == "\(flag) \(good.path): was written with --seed 42, this run has 7; resume with the same settings and data")
        #expect(message(good, rngs: 0)
                == "\(flag) \(good.path): holds 1 generator states, this run passes 0 in rngs (the same generators must be passed)")
    }

    @Test func saveArgumentsAreValidated() {
        #expect(TrainingArguments(saveSteps: 0).validate() == "saveSteps must be at least 1 (got 0); leave it nil for no checkpoints")
        #expect(TrainingArguments(saveSteps: 5, saveTotalLimit: 0).validate() == "saveTotalLimit must be at least 1 (got 0); leave it nil to keep every checkpoint")
        #expect(TrainingArguments(saveSteps: 5, outputDir: "").validate() == "outputDir must name a folder when saveSteps is set")
        #expect(TrainingArguments(saveSteps: 5).validate() == nil)
    }
}
