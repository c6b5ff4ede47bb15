import Foundation

/// Writing a checkpoint folder all at once, and reading one back with a message for each way it
/// can be wrong. The layout is described in `TrainerCheckpoint`.
extension TrainerCheckpoint {
    /// Why a checkpoint's JSON could not be decoded, in one line: `not valid JSON`,
    /// `no "global_step"`, `log_history[3].step has the wrong type`.
    public static func decodingProblem(_ error: any Error) -> String {
        (error as? DecodingError).map(describe) ?? "\(error)"
    }
}

extension Trainer {
    /// HF's `DefaultFlowCallback`: a checkpoint every `args.saveSteps` steps, and at the end of
    /// training. `next` is the (epoch, batch) a resumed run starts from.
    func saveCheckpointIfDue(finishing: Bool, next: (epoch: Int, batch: Int), optimizer: Optimizer, losses: RunLosses) throws {
        guard let saveSteps = args.saveSteps, state.globalStep % saveSteps == 0 || finishing else { return }
        try saveCheckpoint(optimizer: optimizer, epochIndex: next.epoch, batchInEpoch: next.batch,
                           stepLosses: losses.steps, lossesSinceLog: losses.sinceLog)
    }

    /// Loads the checkpoint at `url` (`resume(from:)`) and puts the run where it was: step,
    /// epoch, latest loss and learning rate, log and losses. Returns the (epoch, batch) the loop
    /// starts from.
    func restore(from url: URL, optimizer: Optimizer, batchesPerEpoch: Int, losses: inout RunLosses) throws -> (epoch: Int, batch: Int) {
        let saved = try resume(from: url, optimizer: optimizer, batchesPerEpoch: batchesPerEpoch, totalSteps: state.maxSteps)
        state.globalStep = saved.globalStep
        state.epoch = saved.epoch
        log = MetricsLog(rows: saved.logHistory.compactMap(TrainerCheckpoint.decodeRow))
        losses.steps = saved.stepLosses.map { Float($0) }
        losses.sinceLog = saved.lossesSinceLog.map { Float($0) }
        state.loss = losses.steps.last
        state.learningRate = optimizer.learningRate   // the latest step's, from optimizer.safetensors
        return (saved.epochIndex, saved.batchInEpoch)
    }

    /// Writes `checkpoint-<step>/` in `args.outputDir`, then deletes the oldest folders beyond
    /// `args.saveTotalLimit`.
    ///
    /// Atomic, as `AtomicFile` is for one file: the files go into a hidden temporary folder
    /// beside the target, which `rename(2)` moves into place only once all are written. A crash
    /// or a failed write leaves the previous checkpoints as they were; the next run never finds
    /// a `checkpoint-<step>` with a model but no optimizer.
    func saveCheckpoint(optimizer: Optimizer, epochIndex: Int, batchInEpoch: Int,
                        stepLosses: [Float], lossesSinceLog: [Float]) throws {
        lastCheckpoint = try CheckpointFolder.write(step: state.globalStep, in: URL(fileURLWithPath: args.outputDir),
                                                    saveTotalLimit: args.saveTotalLimit) { temporary in
            try model.save(to: temporary.appendingPathComponent(TrainerCheckpoint.modelFile))
            try checkpointWriteHook?(temporary)
            try Safetensors.save(optimizer.stateDict(), to: temporary.appendingPathComponent(TrainerCheckpoint.optimizerFile))
            var callbackValues: [String: [String: Double]] = [:]
            for case let callback as StatefulCallback in callbacks {
                let (values, tensors) = callback.exportState()
                callbackValues[callback.checkpointName] = values
                if !tensors.isEmpty {
                    try Safetensors.save(tensors, to: temporary.appendingPathComponent("\(callback.checkpointName).safetensors"))
                }
            }
            let stopping = callbacks.lazy.compactMap { $0 as? EarlyStoppingCallback }.first
            let saved = TrainerCheckpoint(
                globalStep: state.globalStep, epoch: state.epoch, maxSteps: state.maxSteps, numTrainEpochs: state.numTrainEpochs,
                epochIndex: epochIndex, batchInEpoch: batchInEpoch, lrSchedulerStep: state.globalStep,
                seed: args.seed, trainBatchSize: args.perDeviceTrainBatchSize,
                gradientAccumulationSteps: args.gradientAccumulationSteps, dataloaderDropLast: args.dataloaderDropLast,
                trainExamples: trainDataset.count,
                rngStates: rngs.map { $0.snapshot.map(TrainerCheckpoint.hex) },
                logHistory: log.rows.map(TrainerCheckpoint.encodeRow),
                stepLosses: stepLosses.map(Double.init), lossesSinceLog: lossesSinceLog.map(Double.init),
                bestMetric: stopping?.bestValue, bestGlobalStep: stopping?.bestStep,
                statefulCallbacks: callbackValues)
            try AtomicFile.write(try TrainerCheckpoint.encoder().encode(saved), to: temporary.appendingPathComponent(TrainerCheckpoint.stateFile))
        }
    }

    /// Loads the checkpoint at `url` into the model, `optimizer`, `rngs` and stateful callbacks,
    /// after checking that it belongs to a run like this one. Every problem is one line that
    /// starts with the flag a learner passed: `--resume-from-checkpoint out/x: ...`.
    func resume(from url: URL, optimizer: Optimizer, batchesPerEpoch: Int, totalSteps: Int) throws -> TrainerCheckpoint {
        let prefix = "--resume-from-checkpoint \(url.path)"
        func failure(_ reason: String) -> TrainingError { .checkpoint("\(prefix): \(reason)") }
        let hint = "pass a folder written by --save-steps"

        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw failure("no such folder; \(hint)")
        }
        guard isFolder.boolValue else { throw failure("is a file, not a checkpoint folder; \(hint)") }
        let stateURL = url.appendingPathComponent(TrainerCheckpoint.stateFile)
        guard let json = FileManager.default.contents(atPath: stateURL.path) else {
            throw failure("no \(TrainerCheckpoint.stateFile) there; \(hint)")
        }
        let saved: TrainerCheckpoint
        do {
            saved = try TrainerCheckpoint.decoder().decode(TrainerCheckpoint.self, from: json)
        } catch let error as DecodingError {
            throw failure("\(TrainerCheckpoint.stateFile) is damaged: \(describe(error))")
        } catch {
            throw failure("\(TrainerCheckpoint.stateFile) is damaged: \(error)")
        }

        // The saved position means the same examples only under the same data settings.
        let same: [(String, String, String)] = [
            ("--seed", "\(saved.seed)", "\(args.seed)"),
            ("--per-device-train-batch-size", "\(saved.trainBatchSize)", "\(args.perDeviceTrainBatchSize)"),
            ("--gradient-accumulation-steps", "\(saved.gradientAccumulationSteps)", "\(args.gradientAccumulationSteps)"),
            ("--dataloader-drop-last", "\(saved.dataloaderDropLast)", "\(args.dataloaderDropLast)"),
            ("training examples", "\(saved.trainExamples)", "\(trainDataset.count)"),
        ]
        for (what, then, now) in same where then != now {
            throw failure("was written with \(what) \(then), this run has \(now); resume with the same settings and data")
        }
        guard saved.globalStep >= 0, saved.globalStep <= totalSteps else {
            throw failure("is at step \(saved.globalStep), outside this run's 0...\(totalSteps) steps")
        }
        guard saved.epochIndex >= 0, (0...batchesPerEpoch).contains(saved.batchInEpoch) else {
            throw failure("names batch \(saved.batchInEpoch) of epoch \(saved.epochIndex), but an epoch has \(batchesPerEpoch) batches")
        }
        guard saved.rngStates.count == rngs.count else {
            throw failure("holds \(saved.rngStates.count) generator states, this run passes \(rngs.count) in rngs (the same generators must be passed)")
        }
        let words = saved.rngStates.map { $0.map(TrainerCheckpoint.word) }
        guard words.allSatisfy({ $0.count == 5 && $0.allSatisfy { $0 != nil } }) else {
            throw failure("\(TrainerCheckpoint.stateFile) rng_states must be lists of 5 hex words like \"0x00000000000000ff\"")
        }
        guard saved.logHistory.allSatisfy({ TrainerCheckpoint.decodeRow($0) != nil }) else {
            throw failure("\(TrainerCheckpoint.stateFile) log_history has a row without a whole-number step or an epoch")
        }

        // Every file is read and checked before the model, optimizer or generators change.
        let optimizerState: [(String, Tensor)]
        do {
            optimizerState = try optimizer.checkedStateDict(from: url.appendingPathComponent(TrainerCheckpoint.optimizerFile))
        } catch {
            throw failure("\(error)")
        }
        var callbackStates: [(StatefulCallback, [String: Double], [String: Tensor])] = []
        for case let callback as StatefulCallback in callbacks {
            guard let values = saved.statefulCallbacks[callback.checkpointName] else {
                throw failure("holds no state for \(callback.checkpointName); was it written by a run without that callback?")
            }
            let file = url.appendingPathComponent("\(callback.checkpointName).safetensors")
            var tensors: [String: Tensor] = [:]
            if FileManager.default.fileExists(atPath: file.path) {
                do { tensors = try Safetensors.load(from: file).tensors } catch { throw failure("\(error)") }
            }
            callbackStates.append((callback, values, tensors))
        }
        do {
            try model.load(from: url.appendingPathComponent(TrainerCheckpoint.modelFile))   // checks every name and shape first
        } catch {
            throw failure("\(error)")
        }
        for (callback, values, tensors) in callbackStates {
            do { try callback.restoreState(values: values, tensors: tensors) } catch { throw failure("\(error)") }
        }
        optimizer.loadStateDict(optimizerState)
        for (generator, state) in zip(rngs, words) { generator.snapshot = state.map { $0! } }

        var result = saved
        if result.batchInEpoch == batchesPerEpoch { (result.epochIndex, result.batchInEpoch) = (result.epochIndex + 1, 0) }
        return result
    }
}

/// A decoding error as one line: what was wrong, and where (`log_history[3].step`).
private func describe(_ error: DecodingError) -> String {
    func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
    }
    switch error {
    case .keyNotFound(let key, let context):
        let at = path(context.codingPath)
        return "no \"\(key.stringValue)\"\(at.isEmpty ? "" : " in \(at)")"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
        return "\(path(context.codingPath)) has the wrong type"
    case .dataCorrupted(let context):
        let at = path(context.codingPath)
        return at.isEmpty ? "not valid JSON" : "\(at) is not valid"
    @unknown default:
        return "cannot be read"
    }
}
