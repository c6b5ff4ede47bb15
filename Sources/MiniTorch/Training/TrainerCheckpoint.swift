import Foundation

/// A checkpoint: everything a run needs to continue exactly where it stopped, as one folder
/// laid out like Hugging Face's `checkpoint-<step>/`:
///
///     checkpoint-40/
///       model.safetensors          the model's parameters (Module.save)
///       optimizer.safetensors      optimizer.stateDict(): Adam's exp_avg / exp_avg_sq and step counts
///       trainer_state.json         where the run is: step, epoch, batch within the epoch, scheduler
///                                  step, random-generator states, the log so far, early stopping
///       <Callback>.safetensors     tensors a stateful callback keeps (early stopping's best weights)
///
/// HF splits the last part over `trainer_state.json`, `scheduler.pt` and `rng_state.pth`; here
/// the small numbers all sit in the one JSON file, readable in any editor.
///
/// "Exactly" means bit for bit: resuming from step K and running to N gives the same losses and
/// weights as one uninterrupted run to N. That needs all of the above, and nothing else, because
/// everything else is a pure function of them: the data order depends only on (seed, epoch)
/// (see `DataLoader.order`), the learning rate only on the step (`LRSchedule.lr(at:)`).
public struct TrainerCheckpoint: Codable, Sendable {
    public static let modelFile = "model.safetensors"
    public static let optimizerFile = "optimizer.safetensors"
    public static let stateFile = "trainer_state.json"

    /// Optimizer steps done (HF `global_step`); also the scheduler's position.
    public var globalStep: Int
    /// Fractional epochs done, as the log shows them (HF `epoch`).
    public var epoch: Double
    public var maxSteps: Int
    public var numTrainEpochs: Int
    /// Where the next micro-batch comes from: epoch `epochIndex` (from 0), batch `batchInEpoch`.
    public var epochIndex: Int
    public var batchInEpoch: Int
    /// The step the learning-rate schedule reads next (HF saves it in `scheduler.pt`).
    public var lrSchedulerStep: Int
    /// What must be the same for the saved position to mean the same examples.
    public var seed: Int
    public var trainBatchSize: Int
    public var gradientAccumulationSteps: Int
    public var dataloaderDropLast: Bool
    public var trainExamples: Int
    /// `Generator.snapshot` of every generator the caller passed in `rngs`, as hex strings
    /// (JSON numbers lose precision beyond 2^53).
    public var rngStates: [[String]]
    /// The metrics rows written so far (HF `log_history`): column name -> value.
    public var logHistory: [[String: Double]]
    /// Every step's training loss, and those not yet averaged into a log row. Stored as the
    /// Doubles of the Floats, so that they read back bit for bit.
    public var stepLosses: [Double]
    public var lossesSinceLog: [Double]
    /// The early-stopping metric's best value and its step (HF `best_metric`, `best_global_step`).
    public var bestMetric: Double?
    public var bestGlobalStep: Int?
    /// The numbers of each `StatefulCallback`, by `checkpointName` (HF `stateful_callbacks`).
    public var statefulCallbacks: [String: [String: Double]]

    enum CodingKeys: String, CodingKey {
        case globalStep = "global_step", epoch, maxSteps = "max_steps", numTrainEpochs = "num_train_epochs"
        case epochIndex = "epoch_index", batchInEpoch = "batch_in_epoch", lrSchedulerStep = "lr_scheduler_step"
        case seed, trainBatchSize = "train_batch_size", gradientAccumulationSteps = "gradient_accumulation_steps"
        case dataloaderDropLast = "dataloader_drop_last", trainExamples = "train_examples"
        case rngStates = "rng_states", logHistory = "log_history", stepLosses = "step_losses"
        case lossesSinceLog = "losses_since_log", bestMetric = "best_metric", bestGlobalStep = "best_global_step"
        case statefulCallbacks = "stateful_callbacks"
    }

    /// The folder name HF uses: `checkpoint-40` (see `CheckpointFolder`).
    public static func folderName(step: Int) -> String { CheckpointFolder.name(step: step) }

    /// The checkpoint folders in `outputDir`, oldest (lowest step) first.
    public static func checkpoints(in outputDir: URL) -> [(step: Int, url: URL)] { CheckpointFolder.all(in: outputDir) }

    /// The newest checkpoint in `outputDir`, what HF's `resume_from_checkpoint=True` picks.
    public static func latest(in outputDir: URL) -> URL? { CheckpointFolder.latest(in: outputDir) }

    // MARK: The JSON file

    public static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }

    public static func hex(_ word: UInt64) -> String {
        let digits = String(word, radix: 16)
        return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
    }

    public static func word(_ text: String) -> UInt64? {
        guard text.hasPrefix("0x") else { return nil }
        return UInt64(text.dropFirst(2), radix: 16)
    }

    static func encodeRow(_ row: MetricsRow) -> [String: Double] {
        var fields: [String: Double] = [:]
        for name in MetricsLog.standardColumns { if let v = row[name] { fields[name] = v } }
        for (name, v) in row.extra { fields[name] = v }
        return fields
    }

    /// Extra columns come back in sorted order (JSON objects have none), which is the order
    /// a CSV shows only if they were added sorted; the standard columns are unaffected.
    static func decodeRow(_ fields: [String: Double]) -> MetricsRow? {
        guard let step = fields["step"], let epoch = fields["epoch"], let whole = Int(exactly: step) else { return nil }
        return MetricsRow(step: whole, epoch: epoch, lr: fields["lr"], loss: fields["loss"], evalLoss: fields["eval_loss"],
                          accuracy: fields["accuracy"], gradNorm: fields["grad_norm"], seconds: fields["seconds"],
                          extra: fields.keys.sorted().filter { !MetricsLog.standardColumns.contains($0) }.map { ($0, fields[$0]!) })
    }
}

/// A callback whose progress must survive a checkpoint, as HF's `ExportableState`: early
/// stopping's patience counter and best value, without which a resumed run would stop later.
public protocol StatefulCallback: TrainerCallback {
    /// Names the callback's entry in `trainer_state.json` and its tensor file.
    var checkpointName: String { get }
    /// Counters as numbers, and tensors (saved to `<checkpointName>.safetensors` if any).
    func exportState() -> (values: [String: Double], tensors: [(String, Tensor)])
    /// Puts back what `exportState` gave; throws a one-line message if something is missing.
    func restoreState(values: [String: Double], tensors: [String: Tensor]) throws
}

extension StatefulCallback {
    public var checkpointName: String { String(describing: type(of: self)) }
}
