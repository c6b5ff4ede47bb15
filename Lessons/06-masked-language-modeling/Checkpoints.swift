import Foundation
import MiniTorch
import Workbook

/// Checkpoints of the pretraining run, as Hugging Face's Trainer writes them: a folder
/// `checkpoint-<step>/` every `saveSteps` updates (and at the last), with the model
/// (`model.safetensors`), AdamW's moments (`optimizer.safetensors`) and everything else the next
/// update depends on (`trainer_state.json`). Resuming from one continues the run exactly: the
/// same losses, the same log, the same final weights as a run that was never stopped.
public struct CheckpointSettings: Sendable {
    /// Where the checkpoint folders go (HF `output_dir`); the lesson passes its `--out`.
    public var outputDir: String
    /// Save every this many updates and at the last one (HF `save_steps`); nil = never.
    public var saveSteps: Int?
    /// Keep only the newest this many checkpoint folders (HF `save_total_limit`); nil = all.
    public var saveTotalLimit: Int?
    /// The checkpoint folder to continue from (HF `resume_from_checkpoint`); see `resolveCheckpoint`.
    public var resumeFromCheckpoint: String?

    public init(outputDir: String, saveSteps: Int? = nil, saveTotalLimit: Int? = nil, resumeFromCheckpoint: String? = nil) {
        self.outputDir = outputDir
        self.saveSteps = saveSteps
        self.saveTotalLimit = saveTotalLimit
        self.resumeFromCheckpoint = resumeFromCheckpoint
    }
}

/// `--resume-from-checkpoint`'s value as a folder: `latest` is the newest `checkpoint-<step>` in
/// `outputDir`, as HF's `resume_from_checkpoint=True` takes `get_last_checkpoint(output_dir)`;
/// anything else is a path, checked when the run loads it.
public func resolveCheckpoint(_ value: String, outputDir: String) throws -> String {
    guard value == "latest" else { return value }
    guard let newest = CheckpointFolder.latest(in: URL(fileURLWithPath: outputDir)) else {
        throw LessonError("--resume-from-checkpoint latest: no checkpoint-<step> folder in \(outputDir); save some with --save-steps first (and the same --out)")
    }
    return (outputDir as NSString).appendingPathComponent(newest.lastPathComponent)
}

/// What `trainer_state.json` holds: the loop's own variables after update `globalStep`, and the
/// settings they mean something under. With the model and optimizer files, nothing else is
/// needed to go on: the batches of an epoch depend only on (seed, epoch), and the learning rate
/// only on the step.
struct PretrainingState: Codable {
    var globalStep: Int
    var settings: PretrainingSettings
    var masking: String
    var trainExamples: Int
    /// `Generator.snapshot` of the model's generator (initialisation, then dropout) and of the
    /// collator's (the masks), as hex words.
    var rngStates: [String: [String]]
    var logHistory: [LogRow]
    var trainLossSinceLog: Double
    var batchesSinceLog: Int
    var firstBatchLoss: Double
    var maskingStatistics: MaskingCounts

    enum CodingKeys: String, CodingKey {
        case globalStep = "global_step", settings, masking, trainExamples = "train_examples", rngStates = "rng_states"
        case logHistory = "log_history", trainLossSinceLog = "train_loss_since_log", batchesSinceLog = "batches_since_log"
        case firstBatchLoss = "first_batch_loss", maskingStatistics = "masking_statistics"
    }
}

/// `MaskingStatistics` as JSON.
struct MaskingCounts: Codable {
    var eligible, selected, masked, randomized, kept: Int

    init(_ s: MaskingStatistics) {
        eligible = s.eligible
        selected = s.selected
        masked = s.masked
        randomized = s.randomized
        kept = s.kept
    }

    var statistics: MaskingStatistics {
        var s = MaskingStatistics()
        (s.eligible, s.selected, s.masked, s.randomized, s.kept) = (eligible, selected, masked, randomized, kept)
        return s
    }
}

extension MaskingStrategy {
    var name: String { self == .dynamic ? "dynamic" : "static" }
}

/// Writes `checkpoint-<step>/` (atomically, see `CheckpointFolder`) and deletes the oldest
/// beyond `saveTotalLimit`. A Ctrl-C waits until the folder is in place.
func saveCheckpoint(_ state: PretrainingState, model: Module, optimizer: Optimizer, to checkpoints: CheckpointSettings) throws {
    try holdingInterrupts {
        _ = try CheckpointFolder.write(step: state.globalStep, in: URL(fileURLWithPath: checkpoints.outputDir),
                                   saveTotalLimit: checkpoints.saveTotalLimit) { folder in
            try model.save(to: folder.appendingPathComponent(TrainerCheckpoint.modelFile))
            try Safetensors.save(optimizer.stateDict(), to: folder.appendingPathComponent(TrainerCheckpoint.optimizerFile))
            try AtomicFile.write(try TrainerCheckpoint.encoder().encode(state), to: folder.appendingPathComponent(TrainerCheckpoint.stateFile))
        }
    }
}

/// Reads the checkpoint in `path`, checks that a run with these settings wrote it, and only
/// then loads the weights, AdamW's moments and the generators' states. Returns the loop's
/// variables. Every problem is one line: `--resume-from-checkpoint out/checkpoint-40: ...`.
func resumeCheckpoint(_ path: String, settings: PretrainingSettings, strategy: MaskingStrategy, trainExamples: Int,
                      totalSteps: Int, model: Module, optimizer: Optimizer, generators: [String: Generator]) throws -> PretrainingState {
    let folder = URL(fileURLWithPath: path)
    func failure(_ reason: String) -> LessonError { LessonError("--resume-from-checkpoint \(path): \(reason)") }
    // A file's error without the folder's path, which the line already starts with.
    func problem(_ error: any Error, in file: String) -> String {
        "\(error)".replacingOccurrences(of: folder.appendingPathComponent(file).relativePath, with: file)
    }
    let hint = "pass a folder written by --save-steps, or latest"

    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw failure("no such folder; \(hint)") }
    guard isFolder.boolValue else { throw failure("is a file, not a checkpoint folder; \(hint)") }
    let stateFile = TrainerCheckpoint.stateFile
    guard let json = FileManager.default.contents(atPath: folder.appendingPathComponent(stateFile).path) else {
        throw failure("no \(stateFile) there; \(hint)")
    }
    let saved: PretrainingState
    do {
        saved = try TrainerCheckpoint.decoder().decode(PretrainingState.self, from: json)
    } catch {
        throw failure("\(stateFile) is damaged: \(TrainerCheckpoint.decodingProblem(error))")
    }

    // The saved step means the same batches, masks and learning rates only under the same settings.
    if case let (name, then, now)? = firstDifference(saved.settings, settings) {
        throw failure("was written with \(name) \(then), this run has \(now); resume with the same flags")
    }
    if saved.masking != strategy.name || saved.trainExamples != trainExamples {
        throw failure("was written by a \(saved.masking)-masking run on \(saved.trainExamples) sentences, this is a \(strategy.name) one on \(trainExamples)")
    }
    guard (1...totalSteps).contains(saved.globalStep), let last = saved.logHistory.last, last.step <= saved.globalStep,
          saved.batchesSinceLog >= 0 else {
        throw failure("\(stateFile) is damaged: step \(saved.globalStep) and its log do not fit a run of \(totalSteps) updates")
    }
    var snapshots: [(Generator, [UInt64])] = []
    for (name, generator) in generators.sorted(by: { $0.key < $1.key }) {
        let words = (saved.rngStates[name] ?? []).compactMap(TrainerCheckpoint.word)
        guard words.count == 5, saved.rngStates[name]?.count == 5 else {
            throw failure("\(stateFile) is damaged: rng_states.\(name) must be 5 hex words like \"0x00000000000000ff\"")
        }
        snapshots.append((generator, words))
    }

    // Every file is read and checked before the model, optimizer or generators change.
    let optimizerState: [(String, Tensor)]
    do {
        optimizerState = try optimizer.checkedStateDict(from: folder.appendingPathComponent(TrainerCheckpoint.optimizerFile))
    } catch {
        throw failure(problem(error, in: TrainerCheckpoint.optimizerFile))
    }
    do {
        try model.load(from: folder.appendingPathComponent(TrainerCheckpoint.modelFile))   // checks every name and shape first
    } catch {
        throw failure(problem(error, in: TrainerCheckpoint.modelFile))
    }
    optimizer.loadStateDict(optimizerState)
    for (generator, words) in snapshots { generator.snapshot = words }
    return saved
}

/// The first setting two runs differ in, named as its flag: ("--learning-rate", "0.003", "0.01").
func firstDifference(_ a: PretrainingSettings, _ b: PretrainingSettings) -> (String, String, String)? {
    func text(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return "\(value)" }
        return mirror.children.first.map { "\($0.value)" } ?? "none"   // --max-steps not given
    }
    for (x, y) in zip(Mirror(reflecting: a).children, Mirror(reflecting: b).children) {
        let (then, now) = (text(x.value), text(y.value))
        guard then != now, let label = x.label else { continue }
        // learningRate -> --learning-rate, as ArgumentParser names the lesson's flags.
        let words = label.map { $0.isUppercase ? "-" + $0.lowercased() : String($0) }.joined()
        return (flagBackedSettings.contains(label) ? "--\(words)" : "the setting \(label)", then, now)
    }
    return nil
}

/// The settings the lesson's flags set (the rest are fixed in `PretrainingSettings`).
let flagBackedSettings: Set<String> = [
    "learningRate", "perDeviceTrainBatchSize", "numTrainEpochs", "maxSteps", "warmupSteps", "weightDecay",
    "adamBeta2", "mlmProbability", "seed", "evalSteps",
]
