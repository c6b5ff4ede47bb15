import Foundation
import MiniTorch
import MaskedLanguageModeling
import Workbook

/// Everything the lesson's run depends on.
public struct Settings: SeededSettings, Equatable {
    /// The pretrained model's seed (lesson 06's run), and the seed of the fine-tunes (the new
    /// head, the adapters' A, the batch order, dropout) when it differs.
    public var seed = 42
    public var fineTuneSeed: Int? = nil
    public var fineTune = FineTuneSettings()
    /// The rank sweep: LoRA on query/value with alpha = 2r.
    public var ranks = [1, 2, 4, 8, 16]
    /// The ranks of the runs that adapt all six linear layers of each encoder layer.
    public var allLinearRanks = [1, 8]
    /// Full fine-tunes, one per rate (the first is the headline run).
    public var fullLearningRates: [Float] = [1e-4, 3e-4]
    /// The run whose adapter is merged, saved and reloaded (LoRA r=8 on query/value).
    public var mergeRank = 8
    /// The rank sweep again with the scale not tied to r: alpha fixed at `fixedAlpha` (Hu et al.'s
    /// alpha / r) and rsLoRA's alpha / sqrt(r) with the same alpha. Empty: no such runs.
    public var scalingRanks = [1, 4, 16]
    public var fixedAlpha: Float = 16
    /// Lesson 06's model: loaded from this folder, or pretrained and saved there first.
    public var pretrainedDir = PretrainedFiles.defaultFolder

    public init() {}

    /// Every run, in the order of the tables.
    public var methods: [(method: Method, learningRate: Float)] {
        let dropout = fineTune.loraDropout
        return fullLearningRates.map { (Method.full, $0) }
            + ranks.map { (Method.lora(r: $0, dropout: dropout), fineTune.loraLearningRate) }
            + allLinearRanks.map { (Method.lora(r: $0, targets: Method.allLinear, dropout: dropout), fineTune.loraLearningRate) }
    }
}

/// What the run found.
public struct LessonResult {
    public let settings: Settings
    /// Lesson 06's model every run starts from.
    public let base: PretrainedBase
    public let task: FactTask
    /// The pretrained model's MLM perplexity on lesson 06's validation set.
    public let basePerplexity: Double
    /// Largest logit difference between the base model and the LoRA model at B = 0.
    public let zeroInitDifference: Float
    public let runs: [FineTuneResult]
    public let merge: MergeReport
    /// MLM perplexity of each LoRA run with its adapter disabled (PEFT `disable_adapter()`).
    public let disabledPerplexities: [Double]
    /// Matched-accuracy comparison of full fine-tuning with LoRA.
    public let forgetting: ForgettingComparison
    /// The rank sweep under each way of scaling (kept out of `runs`, so the tables above are the
    /// alpha = 2r runs alone).
    public let scaling: [ScalingRow]

    public var full: [FineTuneResult] { runs.filter { $0.method == .full } }
    public var lora: [FineTuneResult] { runs.filter { $0.method != .full } }
    public func run(_ method: Method) -> FineTuneResult { runs.first { $0.method == method }! }
    /// The LoRA run of rank `r` on `targets`.
    public func loraRun(r: Int, targets: [String] = ["query", "value"]) -> FineTuneResult {
        runs.first { $0.method.loraConfig?.r == r && $0.method.loraConfig?.targetModules == targets }!
    }
    public var sweep: [FineTuneResult] { settings.ranks.map { loraRun(r: $0) } }
}

/// How LoRA's factor is tied to the rank.
public enum ScalingRule: String, Sendable, CaseIterable {
    /// alpha = 2r: the factor is 2 at every rank (Biderman et al.; the lesson's runs).
    case twoR = "alpha = 2r"
    /// alpha fixed: the factor alpha / r halves when r doubles (Hu et al.).
    case fixedAlpha = "alpha fixed"
    /// rsLoRA: alpha / sqrt(r) with alpha fixed.
    case rsLoRA = "rsLoRA"
}

/// One run of the scaling comparison.
public struct ScalingRow {
    public let rule: ScalingRule
    public let r: Int
    public let run: FineTuneResult
    public var config: LoRAConfig { run.method.loraConfig! }
}

/// The rank sweep under the three rules. A run whose factor and rank equal one already made (alpha
/// fixed at 16 and r = 8 is alpha = 2r; rsLoRA at r = 1 is alpha / 1) is not trained twice.
func scalingRows(_ s: Settings, tuning: FineTuneSettings, runs: [FineTuneResult], base: PretrainedBase, task: FactTask,
                 progress: (String, Int, Int) -> Void) -> [ScalingRow] {
    var done = runs.filter { $0.method.loraConfig?.targetModules == ["query", "value"] }
    var rows: [ScalingRow] = []
    for rule in ScalingRule.allCases {
        for r in s.scalingRanks {
            let method: Method
            switch rule {
            case .twoR: method = .lora(r: r, dropout: tuning.loraDropout)
            case .fixedAlpha: method = .lora(r: r, alpha: s.fixedAlpha, dropout: tuning.loraDropout)
            case .rsLoRA: method = .lora(r: r, alpha: s.fixedAlpha, useRslora: true, dropout: tuning.loraDropout)
            }
            let config = method.loraConfig!
            if let same = done.first(where: { $0.method.loraConfig!.r == r && $0.method.loraConfig!.scaling == config.scaling }) {
                rows.append(ScalingRow(rule: rule, r: r, run: same))
                continue
            }
            let run = fineTune(base, task: task, method: method, settings: tuning, learningRate: tuning.loraLearningRate) {
                progress("\(rule.rawValue) r=\(r)", $0, $1)
            }
            done.append(run)
            rows.append(ScalingRow(rule: rule, r: r, run: run))
        }
    }
    return rows
}

/// Runs the lesson: the B = 0 check, every fine-tune, the merge checks on one adapter, the
/// disabled-adapter perplexities and the forgetting comparison, one progress bar a run. The merge
/// check writes two files into `folder`. `base` is lesson 06's model, loaded from
/// `s.pretrainedDir` (pretrained there first) when nil.
public func run(_ s: Settings, base: PretrainedBase? = nil, folder: URL, quiet: Bool = true,
                progress: LessonProgress = .silent) throws -> LessonResult {
    if base == nil && !quiet { print("loading lesson 06's model from \(s.pretrainedDir) (pretraining it if missing)") }
    let base = try base ?? pretrainedBase(seed: s.seed, folder: s.pretrainedDir)
    let bars = progress.padding(labels: 30)
    func tick(_ name: String, _ step: Int, _ total: Int) { bars.update(name, step: step, of: total) }
    var tuning = s.fineTune
    tuning.seed = s.fineTuneSeed ?? s.seed
    let task = FactTask(tokenizer: base.tokenizer, seed: s.seed, trainCount: tuning.trainExamples,
                        validationCount: tuning.validationExamples)
    let zero = zeroInitDifference(base, task: task, config: Method.lora(r: s.mergeRank).loraConfig!, seed: tuning.seed)
    let runs = s.methods.map { m in
        fineTune(base, task: task, method: m.method, settings: tuning, learningRate: m.learningRate) {
            tick("\(m.method.name) lr \(m.learningRate)", $0, $1)
        }
    }
    let lora = runs.filter { $0.method != .full }
    let disabled = lora.map { base.mlmPerplexity(encoder: $0.model, adapters: false) }
    let forgetting = ForgettingComparison(full: runs.filter { $0.method == .full }, lora: lora)
    let scaling = scalingRows(s, tuning: tuning, runs: runs, base: base, task: task, progress: tick)
    let mergeRun = runs.first { $0.method == .lora(r: s.mergeRank, dropout: tuning.loraDropout) }!
    let merge = try checkMerge(mergeRun, base: base, task: task, seed: tuning.seed, folder: folder)   // last: it unloads the adapter
    return LessonResult(settings: s, base: base, task: task, basePerplexity: base.mlmPerplexity, zeroInitDifference: zero, runs: runs,
                        merge: merge, disabledPerplexities: disabled, forgetting: forgetting, scaling: scaling)
}

// ANCHOR: matched
/// Forgetting at matched task accuracy. Every evaluation of every run is a point
/// (accuracy, MLM perplexity); for a family of runs, the least perplexity among its points with
/// at least a given accuracy is the best trade-off it reached (its Pareto front).
public struct ForgettingComparison {
    public let fullPoints: [FineTuneLogRow]
    public let loraPoints: [FineTuneLogRow]

    public init(full: [FineTuneResult], lora: [FineTuneResult]) {
        fullPoints = full.flatMap { $0.log.dropFirst() }      // step 0 is the untrained head
        loraPoints = lora.flatMap { $0.log.dropFirst() }
    }

    /// The least perplexity among `points` with accuracy at least `accuracy`, or nil if none gets there.
    public static func bestPerplexity(_ points: [FineTuneLogRow], atLeast accuracy: Double) -> Double? {
        points.filter { $0.accuracy >= accuracy }.map(\.perplexity).min()
    }

    /// The accuracy levels to compare at: `lowest`, `lowest + step`, ... up to the best accuracy
    /// both families reach, which is the last level.
    public func levels(lowest: Double = 0.6, step: Double = 0.05) -> [Double] {
        let reach = min(fullBestAccuracy, loraBestAccuracy)
        var result: [Double] = []
        var i = 0.0
        while ((lowest + i * step) * 1000).rounded() / 1000 < reach {
            result.append(((lowest + i * step) * 1000).rounded() / 1000)
            i += 1
        }
        return result + [reach]
    }

    /// (accuracy, best full perplexity, best LoRA perplexity) at each level.
    public var table: [(accuracy: Double, full: Double, lora: Double)] {
        levels().map { ($0, Self.bestPerplexity(fullPoints, atLeast: $0)!, Self.bestPerplexity(loraPoints, atLeast: $0)!) }
    }

    /// The best accuracy each family reached.
    public var fullBestAccuracy: Double { fullPoints.map(\.accuracy).max() ?? 0 }
    public var loraBestAccuracy: Double { loraPoints.map(\.accuracy).max() ?? 0 }
}
// ANCHOR_END: matched
