import Foundation
import MiniTorch
import Workbook

// The promises LoRA makes, each measured on the lesson's own models.

/// Logits of `model` for every validation sentence, as one flat array (dropout off, no graph).
public func logits(_ model: RobertaForSequenceClassification, on examples: [(ids: [Int], label: Int)]) -> [Float] {
    model.eval()
    return noGrad {
        let b = FactTask.batch(examples[...])
        return model(inputIds: b.ids, attentionMask: b.mask, shape: b.shape).scalars   // [B, labels]
    }
}

/// The largest absolute difference between two equally long arrays.
public func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "maxAbsDifference: \(a.count) and \(b.count) values")
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

// ANCHOR: zero-init
/// With B = 0 the adapter adds nothing: the LoRA model's logits equal the base model's.
/// Returns the largest difference (the lesson finds exactly 0).
public func zeroInitDifference(_ base: PretrainedBase, task: FactTask, config: LoRAConfig, seed: Int) -> Float {
    let plain = base.classifier(seed: seed, numLabels: task.numLabels)
    let adapted = base.classifier(seed: seed, numLabels: task.numLabels)               // same encoder, same head
    getPeftModel(adapted, config, generator: Generator(seed: UInt64(seed) &+ 1))       // A random, B = 0
    return maxAbsDifference(logits(plain, on: task.validation), logits(adapted, on: task.validation))
}
// ANCHOR_END: zero-init

/// Merging a trained adapter into its base weights, and the files it is saved in.
public struct MergeReport {
    /// Largest logit difference: adapter kept apart vs folded in (`mergeAdapter`), and vs
    /// `mergeAndUnload` (plain `Linear` layers again).
    public let mergedDifference: Float
    public let unloadedDifference: Float
    /// Largest difference after saving the adapter alone and loading it onto a fresh copy of
    /// the pretrained encoder.
    public let reloadedDifference: Float
    /// Largest change of a base weight after merge then unmerge (float rounding only).
    public let unmergeWeightDifference: Float
    /// Sizes of the saved adapter (LoRA weights and the head) and of the whole fine-tuned model.
    public let adapterFileBytes: Int
    public let modelFileBytes: Int
    public var adapterFraction: Double { Double(adapterFileBytes) / Double(modelFileBytes) }
}

/// Checks `run`'s adapter: merge, unmerge, save and reload. `run.model` ends merged and unloaded.
/// Writes into `folder`: `adapter/` (PEFT's layout, for `PeftModel.from_pretrained` on lesson
/// 06's `model/`), `model/` (the merged model, as `transformers` saves it) and
/// `adapter-logits.json` (the validation inputs and the adapter's logits, which `make interop`
/// compares with PEFT's).
public func checkMerge(_ run: FineTuneResult, base: PretrainedBase, task: FactTask, seed: Int, folder: URL) throws -> MergeReport {
    guard let config = run.method.loraConfig else { throw LessonError("checkMerge: \(run.method.name) has no adapter") }
    let model = run.model
    let adapterFolder = folder.appendingPathComponent("adapter")
    let modelFolder = folder.appendingPathComponent("model")
    try model.saveAdapter(to: adapterFolder, config: config, taskType: "SEQ_CLS",
                          baseModelNameOrPath: "../06-masked-language-modeling/model")
    let before = logits(model, on: task.validation)                            // adapter apart: W x + B A x * alpha / r
    try writeLogits(before, inputs: task.validation, numLabels: task.numLabels, to: folder.appendingPathComponent("adapter-logits.json"))

    let layer = model.loraLayers()[0].1
    let weight = (layer.base_layer as! Linear).weight
    let original = weight.scalars
    layer.merge(); layer.unmerge()
    let unmergeDrift = maxAbsDifference(original, weight.scalars)

    // ANCHOR: merge
    model.mergeAdapter()                                                       // W <- W + B A * alpha / r
    let merged = logits(model, on: task.validation)
    model.mergeAndUnload()                                                     // plain Linear layers again
    let unloaded = logits(model, on: task.validation)
    // ANCHOR_END: merge
    try model.savePretrained(modelFolder, tokenizer: base.tokenizer)            // what a full fine-tune must store

    let fresh = base.classifier(seed: seed &+ 99, numLabels: task.numLabels)   // another head, overwritten by the file
    try fresh.loadAdapter(from: adapterFolder, generator: Generator(seed: UInt64(seed) &+ 98))
    let reloaded = logits(fresh, on: task.validation)

    func size(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
    }
    return MergeReport(mergedDifference: maxAbsDifference(before, merged), unloadedDifference: maxAbsDifference(before, unloaded),
                       reloadedDifference: maxAbsDifference(before, reloaded), unmergeWeightDifference: unmergeDrift,
                       adapterFileBytes: try size(adapterFolder.appendingPathComponent(PretrainedFolder.adapterWeights)),
                       modelFileBytes: try size(modelFolder.appendingPathComponent(PretrainedFolder.weights)))
}

/// The validation inputs (padded ids and attention mask, as the model saw them) and `logits`
/// ([examples, labels]) as JSON, for a check outside Swift.
public func writeLogits(_ logits: [Float], inputs: [(ids: [Int], label: Int)], numLabels: Int, to url: URL) throws {
    let b = FactTask.batch(inputs[...])
    let (rows, width) = (b.shape[0], b.shape[1])
    let json: [String: Any] = [
        "input_ids": (0..<rows).map { Array(b.ids[($0 * width)..<(($0 + 1) * width)]) },
        "attention_mask": (0..<rows).map { Array(b.mask[($0 * width)..<(($0 + 1) * width)]) },
        "logits": (0..<rows).map { Array(logits[($0 * numLabels)..<(($0 + 1) * numLabels)]) },
    ]
    try AtomicFile.write(ConfigJSON.encode(json), to: url)
}

/// Trainable parameters LoRA adds, by the formula: r x (d_in + d_out) for each adapted matrix.
public func loraParameterFormula(_ model: Module) -> Int {
    // BEGIN SOLUTION ex07_3
    model.loraLayers().reduce(0) { $0 + $1.1.r * ($1.1.inFeatures + $1.1.outFeatures) }
    // END SOLUTION
}
