import Foundation
import GPTPretraining
import MiniTorch
import Workbook

/// Everything the lesson runs, with Hugging Face's names (TrainingArguments, LoraConfig).
public struct Settings: SeededSettings, Equatable {
    /// Lesson 13's settings: the base model is the one its default run saves.
    public var base = GPTPretraining.Settings()
    /// Where lesson 13 saves (and this lesson looks for) the pretrained model.
    public var baseModel = "runs/13-gpt-pretraining/model"
    // The instruction set.
    public var tasks = InstructionTask.lessonDefault
    /// `tasks` by name, for the `--tasks` flag.
    public var taskNames: [String] {
        get { tasks.map(\.rawValue) }
        set { tasks = newValue.compactMap(InstructionTask.init(rawValue:)) }
    }
    public var trainPerTask = 2000
    /// Held-out instructions per task in validation (and in test).
    public var heldOutPerTask = 50
    public var maxLineLength = 40
    // Training: one FineTuneSettings per method, differing only in method and learning rate.
    public var methods: [Method] = Method.allCases
    public var maxSteps = 300
    public var perDeviceTrainBatchSize = 16
    /// Peak learning rate of the full fine-tune.
    public var fullLearningRate: Float = 5e-3
    /// Peak learning rate of LoRA and QLoRA (adapters start at zero and are scaled by alpha / r).
    public var loraLearningRate: Float = 5e-3
    public var warmupSteps = 20
    public var loraR = 32
    public var loraAlpha: Float = 64
    public var loraTargetModules = ["c_attn", "c_proj", "c_fc", "lm_head"]
    /// Train every method with loss on every token (the prompt's too).
    public var trainOnPrompt = false
    /// Pack each step's conversations into as few rows as fit (TRL's `packing=True`).
    public var packing = false
    /// Also run the full fine-tune again with the other choice of `trainOnPrompt`, and measure
    /// packing against padding, for the comparisons.
    public var compare = true
    /// Batches of held-out Shakespeare for bits per byte before and after (12 x 64 tokens each).
    public var heldOutTextBatches = 24
    /// Steps of each method measured with and without gradient checkpointing.
    public var checkpointingSteps = 4
    /// Steps of the full fine-tune measured padded and packed.
    public var packingSteps = 20
    public var seed = 42
    public var corpusDirectory: URL? = nil
    /// Threads for the matrix products and loops (the executable sets them).
    public var threads = 2

    public init() {}

    public func validate() throws {
        try inRange(warmupSteps, 0...maxSteps, "--warmup-steps")
    }

    /// The fine-tunes to run: `full`, `lora` or `qlora` alone, or `all` (the three, the full
    /// fine-tune with the other choice of labels, and padding against packing).
    public var method: String {
        get { compare ? "all" : methods.map(\.rawValue).joined(separator: ",") }
        set {
            methods = Method(rawValue: newValue).map { [$0] } ?? Method.allCases
            compare = newValue == "all"
        }
    }

    /// Steps of lesson 13's pretraining when the base model is missing; its warm-up stays a tenth
    /// of them at most.
    public var baseMaxSteps: Int {
        get { base.maxSteps }
        set {
            base.maxSteps = newValue
            base.warmupSteps = min(GPTPretraining.Settings().warmupSteps, newValue / 10)
        }
    }

    public func fineTuneSettings(_ method: Method) -> FineTuneSettings {
        var f = FineTuneSettings()
        f.method = method
        f.maxSteps = maxSteps
        f.perDeviceTrainBatchSize = perDeviceTrainBatchSize
        f.learningRate = method == .full ? fullLearningRate : loraLearningRate
        f.warmupSteps = warmupSteps
        f.loraR = loraR
        f.loraAlpha = loraAlpha
        f.loraTargetModules = loraTargetModules
        f.trainOnPrompt = trainOnPrompt
        f.packing = packing
        f.seed = seed
        return f
    }

    /// The full fine-tune again with loss on every token (or on the response only), and LoRA
    /// without `lm_head` among its targets. Same data, same steps, same seed.
    public var comparisons: [FineTuneSettings] {
        guard compare else { return [] }
        var everyToken = fineTuneSettings(.full)
        everyToken.trainOnPrompt.toggle()
        var withoutHead = fineTuneSettings(.lora)
        withoutHead.loraTargetModules.removeAll { $0 == "lm_head" }
        return withoutHead.loraTargetModules.count < loraTargetModules.count && !withoutHead.loraTargetModules.isEmpty
            ? [everyToken, withoutHead] : [everyToken]
    }
}

/// One fine-tuned model, measured.
public struct MethodResult: @unchecked Sendable {
    public let run: FineTuneRun
    public let validation: ExactMatch
    public let bitsPerByte: Double
}

public struct LessonResult: @unchecked Sendable {
    public let settings: Settings
    public let base: BaseModel
    public let instructions: InstructionSet
    public let baseValidation: ExactMatch
    public let baseBitsPerByte: Double
    public let methods: [MethodResult]
    /// The full fine-tune with its labels flipped, and LoRA without lm_head (`Settings.comparisons`).
    public let comparisons: [MethodResult]
    /// Gradient checkpointing's memory and time, per method.
    public let checkpointing: [CheckpointingRow]
    /// The first steps of the full fine-tune padded, then packed (nil without the comparisons).
    public let packing: (padded: FineTuneRun, packed: FineTuneRun)?
    /// One example rendered by the template, with its labels.
    public let example: (instruction: Instruction, inputIds: [Int], labels: [Int])
}

/// Parts of the lesson `run` reports through `progress`.
public func lessonParts(_ s: Settings) -> Int { (s.methods.count + s.comparisons.count) * s.maxSteps + 2 }

/// The whole lesson; the instruction files and LoRA's adapter are written into `folder` when one is given.
public func run(_ s: Settings, writeTo folder: URL? = nil, progress: LessonProgress = .silent) throws -> LessonResult {
    let parts = lessonParts(s)
    func done(_ part: Int, loss: Double? = nil) { progress.update("steps", step: part, of: parts, loss: loss) }
    var base = s.base
    base.corpusDirectory = s.corpusDirectory
    var baseFolder = URL(fileURLWithPath: s.baseModel)
    if let folder, s.base.maxSteps != GPTPretraining.Settings().maxSteps, !FileManager.default.fileExists(atPath: s.baseModel) {
        baseFolder = folder.appendingPathComponent("base-model")   // a shorter base never stands in for lesson 13's
    }
    let model = try loadBase(base, folder: baseFolder)
    done(1)
    let corpus = try ShakespeareCorpus.load(from: s.corpusDirectory)
    let instructions = InstructionSet(corpus: corpus, tasks: s.tasks, trainPerTask: s.trainPerTask, heldOutPerTask: s.heldOutPerTask,
                                      maxLineLength: s.maxLineLength, seed: s.seed) { i in
        model.template.example(i).inputIds.count <= s.base.nPositions + 1   // inputs and shifted targets fit the context
    }
    if let folder { try instructions.write(to: folder) }
    let text = HeldOutText(corpus: corpus, tokenizer: model.template.tokenizer, context: s.base.nPositions, batches: s.heldOutTextBatches)
    let baseValidation = exactMatch(model.model, template: model.template, on: instructions.validation)
    let baseBPB = text.bitsPerByte(model.model)
    done(2)
    var finished = 2
    func measure(_ f: FineTuneSettings) throws -> MethodResult {
        let r = fineTune(model.model, template: model.template, examples: instructions.train, f) { done(finished + $0, loss: $1) }
        finished += f.maxSteps
        if !r.trainLosses.allSatisfy(\.isFinite) {
            throw LessonError("the \(f.method.rawValue) fine-tune's loss became NaN; try a lower --learning-rate")
        }
        return MethodResult(run: r, validation: exactMatch(r.model, template: model.template, on: instructions.validation),
                            bitsPerByte: text.bitsPerByte(r.model))
    }
    let methods = try s.methods.map { try measure(s.fineTuneSettings($0)) }
    if let folder, let lora = methods.first(where: { $0.run.settings.method == .lora }) {
        try saveAdapter(lora.run, template: model.template, base: baseFolder, prompt: instructions.validation[0].input,
                        to: folder.appendingPathComponent("adapter"))
    }
    let comparisons = try s.comparisons.map(measure)
    let packing = s.compare ? packingTrade(model.model, template: model.template, examples: instructions.train,
                                           settings: s.fineTuneSettings(.full), steps: s.packingSteps) : nil
    let checkpointing = checkpointingTrade(model.model, template: model.template, examples: instructions.train,
                                           settings: s.methods.map { s.fineTuneSettings($0) }, steps: s.checkpointingSteps)
    let first = instructions.validation[0]
    let encoded = model.template.example(first)
    return LessonResult(settings: s, base: model, instructions: instructions, baseValidation: baseValidation,
                        baseBitsPerByte: baseBPB, methods: methods, comparisons: comparisons, checkpointing: checkpointing, packing: packing,
                        example: (first, encoded.inputIds, encoded.labels))
}
