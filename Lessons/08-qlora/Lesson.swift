import Foundation
import MiniTorch
import MaskedLanguageModeling
import LoRALesson
import Workbook

/// Everything the lesson's run depends on, with Hugging Face / bitsandbytes names.
public struct Settings: SeededSettings, Equatable {
    public var seed = 42
    /// `bnb_4bit_quant_type` of the QLoRA run.
    public var quantType: QuantType = .nf4
    /// `bnb_4bit_use_double_quant`.
    public var doubleQuantization = true
    /// LoRA on every linear layer of the encoder, r = 8, alpha = 16 (QLoRA adapts all linear layers).
    public var loraR = 8
    public var loraAlpha: Float = 16
    /// Lesson 07's fine-tuning settings (task size, batch size, warmup, weight decay), with the
    /// adapters' learning rate and epochs set here.
    public var fineTune = FineTuneSettings()
    public var learningRate: Float = 3e-3
    public var numTrainEpochs = 8
    /// Each comparison is repeated with this many fine-tuning seeds (seed, seed + 1, ...): one
    /// tiny run moves by several points from seed to seed, more than 4 bits move it.
    public var fineTuneSeeds = 3
    /// The paged optimizer: floats a page, and the device budget for its state.
    public var pageSize = 1024
    public var optimizerBudgetBytes = 64 * 1024
    /// Normal samples for the code-book comparison, and the side of the large matrix whose
    /// bits per parameter are measured (1024 x 1024 = 64 x 256 x 64 values: whole blocks).
    public var normalSamples = 1 << 20
    public var largeMatrixSide = 1024
    /// Lesson 06's model: loaded from this folder, or pretrained and saved there first.
    public var pretrainedDir = PretrainedFiles.defaultFolder

    public init() {}

    /// The paged optimizer's device budget in KiB (the `--optimizer-budget-kib` flag).
    public var optimizerBudgetKib: Int {
        get { optimizerBudgetBytes / 1024 }
        set { optimizerBudgetBytes = newValue * 1024 }
    }

    public func validate() throws {
        try check(optimizerBudgetBytes >= 2 * pageSize * 4,
                  "--optimizer-budget-kib must hold at least two pages of --page-size floats (\(2 * pageSize * 4) bytes; got \(optimizerBudgetBytes))")
    }

    public var loraConfig: LoRAConfig {
        LoRAConfig(r: loraR, loraAlpha: loraAlpha, loraDropout: 0, targetModules: Method.allLinear, modulesToSave: ["classifier"])
    }
}

/// Everything the chapter shows.
public struct LessonResult {
    public let settings: Settings
    /// Lesson 06's model the runs start from.
    public let base: PretrainedBase
    public let codebooks: CodebookComparison
    public let footprints: [Footprint]
    public let perplexities: [QuantizedPerplexity]
    /// One run per fine-tuning seed, on each base.
    public let fullPrecision: [AdapterRun]
    public let quantized: [AdapterRun]
    public let sixtyFiveB: SixtyFiveB
    /// The fine-tuning task all runs share.
    public let task: FactTask
    /// Mean final validation accuracy over the seeds.
    public var fullPrecisionAccuracy: Double { mean(fullPrecision.map(\.accuracy)) }
    public var quantizedAccuracy: Double { mean(quantized.map(\.accuracy)) }
    /// Mean accuracy of the 4-bit runs minus that of the Float32 runs.
    public var accuracyGap: Double { quantizedAccuracy - fullPrecisionAccuracy }
}

/// Lesson 06's pretrained model (`pretrainedEncoder`: loaded from `folder`, or pretrained with
/// lesson 06's default settings and saved there first), with lesson 06's validation sentences.
public func loadPretrainedBase(seed: Int, folder: String = PretrainedFiles.defaultFolder) throws -> PretrainedBase {
    var settings = PretrainingSettings()
    settings.seed = seed
    let (model, tokenizer) = try pretrainedEncoder(seed: seed, outDir: folder)
    let corpus = settings.corpus()
    let validation = ValidationSet(corpus.validationText.map { tokenizer.encode($0, maxLength: settings.maxSeqLength) },
                                   tokenizer: tokenizer, mlmProbability: settings.mlmProbability, seed: seed)
    return PretrainedBase(model: model, tokenizer: tokenizer, validation: validation, settings: settings)
}

/// Where lesson 06 leaves its model, and whether it is there yet.
public let defaultPretrainedFolder = PretrainedFiles.defaultFolder
public func pretrainedModelExists(in folder: String) -> Bool {
    FileManager.default.fileExists(atPath: URL(fileURLWithPath: folder).appendingPathComponent(PretrainedFiles.model).path)
}

/// The stages of the run, for progress reporting.
public enum Stage: String, Sendable {
    case fullPrecision = "LoRA, float32 base"
    case quantized = "QLoRA, 4-bit base"
}

/// The whole lesson: quantise the pretrained encoder, measure, fine-tune twice, do the arithmetic.
/// `base` is lesson 06's model, loaded from `s.pretrainedDir` (pretrained there first) when nil.
public func run(_ s: Settings, base: PretrainedBase? = nil, quiet: Bool = true,
                progress: LessonProgress = .silent) throws -> LessonResult {
    if base == nil && !pretrainedModelExists(in: s.pretrainedDir) && !quiet {
        print("no pretrained model in \(s.pretrainedDir): pretraining lesson 06's encoder first (once)")
    }
    let base = try base ?? loadPretrainedBase(seed: s.seed, folder: s.pretrainedDir)
    let bars = progress.padding(labels: 20)
    func tick(_ stage: Stage, _ step: Int, _ total: Int, _ loss: Double) {
        bars.update(stage.rawValue, step: step, of: total, metrics: ["loss": loss])
    }
    let codebooks = compareCodebooks(model: base.model, normalSamples: s.normalSamples, seed: s.seed)
    let large = Tensor.normal([s.largeMatrixSide, s.largeMatrixSide], std: 0.02, generator: Generator(seed: UInt64(s.seed) &+ 801))
    let footprints = footprints(model: base.model, largeMatrix: large)
    let perplexities = quantizedPerplexities(base)
    var tuning = s.fineTune
    tuning.seed = s.seed
    tuning.loraLearningRate = s.learningRate
    tuning.numTrainEpochs = s.numTrainEpochs
    tuning.dropout = 0
    let task = FactTask(tokenizer: base.tokenizer, seed: s.seed, trainCount: tuning.trainExamples, validationCount: tuning.validationExamples)
    let steps = s.fineTuneSeeds * s.numTrainEpochs * ((task.train.count + tuning.perDeviceTrainBatchSize - 1) / tuning.perDeviceTrainBatchSize)
    var full: [AdapterRun] = [], quantized: [AdapterRun] = []
    for k in 0..<s.fineTuneSeeds {
        var seeded = tuning
        seeded.seed = s.seed + k
        let done = k * steps / s.fineTuneSeeds
        full.append(fineTuneAdapters(base, task: task, config: s.loraConfig, quantType: nil, pagedBudgetBytes: nil,
                                     pageSize: s.pageSize, settings: seeded) { tick(.fullPrecision, done + $0, steps, $2) })
        quantized.append(fineTuneAdapters(base, task: task, config: s.loraConfig, quantType: s.quantType,
                                          doubleQuantization: s.doubleQuantization, pagedBudgetBytes: s.optimizerBudgetBytes,
                                          pageSize: s.pageSize, settings: seeded) { tick(.quantized, done + $0, steps, $2) })
    }
    return LessonResult(settings: s, base: base, codebooks: codebooks, footprints: footprints, perplexities: perplexities,
                       fullPrecision: full, quantized: quantized, sixtyFiveB: SixtyFiveB(), task: task)
}

func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(max(xs.count, 1)) }

/// Saves the first QLoRA run for use outside Swift, into `folder`: `adapter/` in PEFT's layout;
/// `base-dequantized/`, the 4-bit base turned back into float32 (bitsandbytes'
/// `dequantize_4bit`, what PEFT's `merge_and_unload` does to a 4-bit model), because loading a
/// 4-bit base in PyTorch needs bitsandbytes and a GPU; and `adapter-logits.json`, the
/// validation inputs with the QLoRA model's logits. The adapter on the dequantized base gives
/// exactly those logits: every forward here dequantises before it multiplies.
public func saveQLoRAFolders(_ result: LessonResult, base: PretrainedBase, to folder: URL) throws {
    let run = result.quantized[0]
    try run.model.saveAdapter(to: folder.appendingPathComponent("adapter"), config: result.settings.loraConfig,
                              taskType: "SEQ_CLS", baseModelNameOrPath: "../base-dequantized")
    let float = base.classifier(seed: result.settings.seed, numLabels: result.task.numLabels)
    let linears = Dictionary(uniqueKeysWithValues: float.namedModules().compactMap { p, m in (m as? Linear).map { (p, $0) } })
    for (path, module) in run.model.namedModules() {
        guard let q = module as? Linear4bit else { continue }
        let plain = path.hasSuffix(".base_layer") ? String(path.dropLast(".base_layer".count)) : path
        guard let linear = linears[plain] else { throw LessonError("saveQLoRAFolders: no float layer \(plain) for \(path)") }
        noGrad { linear.weight.copyFrom(q.weight.dequantize()) }
    }
    try float.savePretrained(folder.appendingPathComponent("base-dequantized"), tokenizer: base.tokenizer)
    try writeLogits(logits(run.model, on: result.task.validation), inputs: result.task.validation,
                    numLabels: result.task.numLabels, to: folder.appendingPathComponent("adapter-logits.json"))
}

/// `--quant-type nf4|fp4|int4`.
extension QuantType: FlagValue {}
