import Foundation
import LoRALesson
import MaskedLanguageModeling
import MiniTorch
import StableTraining
import struct Overfitting.CurveDiagnosis
import func Overfitting.diagnose

/// What one evaluation of the validation sentences gives.
public struct Evaluation: Sendable, Equatable {
    public var loss: Double
    public var accuracy: Double
    public var macroF1: Double
    /// exp(loss): the number of equally likely continents the classifier is as unsure as.
    public var perplexity: Double { exp(loss) }
}

/// What the fine-tuned encoder still knows of lesson 06's language, read through the pretrained
/// MLM head: its pseudo-perplexity on lesson 06's masked validation sentences, and its guesses
/// for the masked word of one prompt.
public struct EncoderProbe: Sendable {
    public var mlmPerplexity: Double
    public var guesses: [FillMaskGuess]
    /// The probability of the word a model that remembers the fact puts there.
    public var expectedProbability: Double
}

/// One evaluation of the run: the step, the training loss logged for the steps since the last
/// one, the validation numbers and the encoder's probe.
public struct LoggedEvaluation: Sendable {
    public var step: Int
    public var trainLoss: Double
    public var eval: Evaluation
    public var probe: EncoderProbe
}

/// What one optimizer step did, for its log row.
public struct StepRecord: Sendable {
    public var step: Int
    public var lr: Float
    /// The gradients' norm before clipping, after unscaling: inf when a gradient overflowed fp16.
    public var gradNorm: Float
    /// The loss scale the step used; nil in fp32.
    public var lossScale: Float?
    /// Whether the update was skipped (an overflowed gradient).
    public var skipped: Bool
    /// ||update|| / ||W|| of each layer's parameters (0 for a skipped step).
    public var updateRatios: [(layer: String, ratio: Double)]
    /// Tensor bytes alive before the step (weights, gradients, AdamW's state), and the most alive
    /// at once during it.
    public var residentBytes: Int
    public var peakBytes: Int
}

/// One optimizer step's wall-clock numbers: they differ from run to run, so they live apart
/// from the metrics a test compares.
public struct StepTiming: Sendable {
    public var step: Int
    public var seconds: Double
    public var samplesPerSecond: Double
    /// Real tokens (the attention mask's ones, padding left out) per second.
    public var tokensPerSecond: Double
}

/// Loss, accuracy and macro-F1 of the classifier on `examples` (dropout off, no graph).
public func evaluate(_ model: RobertaForSequenceClassification, on examples: [(ids: [Int], label: Int)], numLabels: Int,
                     batchSize: Int = 200) -> Evaluation {
    let wasTraining = model.training
    model.eval()
    defer { model.train(wasTraining) }
    var lossSum = 0.0, predictions: [Int] = []
    noGrad {
        for start in stride(from: 0, to: examples.count, by: batchSize) {
            let b = FactTask.batch(examples[start..<min(start + batchSize, examples.count)])
            let logits = model(inputIds: b.ids, attentionMask: b.mask, shape: b.shape)   // [B, T] -> [B, labels]
            lossSum += Double(CrossEntropyLoss()(logits, b.labels).item()) * Double(b.labels.count)
            predictions += logits.argmax(axis: -1)
        }
    }
    let scores = precisionRecallFScoreSupport(labels: examples.map(\.label), predictions: predictions, numClasses: numLabels)
    return Evaluation(loss: lossSum / Double(examples.count), accuracy: scores.accuracy, macroF1: scores.macroF1)
}

/// The tuned encoder under lesson 06's MLM head (a copy: `encoder` is not touched), its
/// pseudo-perplexity on lesson 06's validation sentences and its guesses for `prompt`.
public func probeEncoder(_ base: PretrainedBase, encoder: RobertaForSequenceClassification,
                         prompt: String, expected: String) -> EncoderProbe {
    let probe = RobertaForMaskedLM(config: base.model.config, generator: Generator(seed: 0))
    probe.loadStateDict(base.model.stateDict())                                                     // the pretrained head
    probe.loadStateDict(encoder.stateDict().filter { $0.0.hasPrefix("roberta.") }, strict: false)   // the tuned encoder
    let guesses = fillMask(prompt, model: probe, tokenizer: base.tokenizer, topK: base.tokenizer.vocabSize)
    return EncoderProbe(mlmPerplexity: exp(base.validation.loss(of: probe)), guesses: Array(guesses.prefix(5)),
                        expectedProbability: guesses.first { $0.token == expected }?.probability ?? 0)
}

/// Step `step`'s wall-clock numbers from the clock read before and after it (nanoseconds, as
/// `DispatchTime.uptimeNanoseconds`).
public func stepTiming(step: Int, samples: Int, tokens: Int, start: UInt64, end: UInt64) -> StepTiming {
    let seconds = Double(end - start) / 1e9
    return StepTiming(step: step, seconds: seconds, samplesPerSecond: Double(samples) / seconds,
                      tokensPerSecond: Double(tokens) / seconds)
}

// ANCHOR: row
/// The log row of one optimizer step: step, epoch (a fraction: step / stepsPerEpoch), lr and
/// grad_norm every step, then the extra columns loss_scale (fp16 only), skipped (1 or 0),
/// update_ratio/<layer> for each layer, resident_mb and peak_mb (bytes / 2^20); at a logging step
/// also loss (the logged training loss), eval_loss, accuracy, and the extra columns perplexity,
/// macro_f1, mlm_perplexity and fill_mask_p, in that order.
public func metricsRow(_ r: StepRecord, stepsPerEpoch: Int, evaluation: LoggedEvaluation?) -> MetricsRow {
    // BEGIN SOLUTION ex11_1
    var row = MetricsRow(step: r.step, epoch: Double(r.step) / Double(stepsPerEpoch), lr: Double(r.lr), gradNorm: Double(r.gradNorm))
    if let scale = r.lossScale { row.extra.append(("loss_scale", Double(scale))) }
    row.extra.append(("skipped", r.skipped ? 1 : 0))
    row.extra += r.updateRatios.map { ("update_ratio/\($0.layer)", $0.ratio) }
    row.extra += [("resident_mb", Double(r.residentBytes) / 1_048_576), ("peak_mb", Double(r.peakBytes) / 1_048_576)]
    if let e = evaluation {
        row.loss = e.trainLoss
        row.evalLoss = e.eval.loss
        row.accuracy = e.eval.accuracy
        row.extra += [("perplexity", e.eval.perplexity), ("macro_f1", e.eval.macroF1),
                      ("mlm_perplexity", e.probe.mlmPerplexity), ("fill_mask_p", e.probe.expectedProbability)]
    }
    return row
    // END SOLUTION
}
// ANCHOR_END: row

/// Every gradient rounded through fp16 and back: what storing it in 16 bits leaves of it.
func roundGradientsToFP16(_ parameters: [Tensor]) {
    for g in parameters.compactMap(\.grad) {
        let p = g.pointer
        for i in 0..<g.count { p[i] = HalfFormat.float16.round(p[i]) }
    }
}

/// The run, logged in full; `onStep(step, totalSteps, loss)` after every optimizer step.
public func trainMonitored(_ s: Settings, base: PretrainedBase, onStep: (Int, Int, Float) -> Void = { _, _, _ in }) -> LessonResult {
    let task = FactTask(tokenizer: base.tokenizer, seed: s.seed, trainCount: s.trainExamples, validationCount: s.validationExamples)
    // Everything the run allocates records into this ledger, so `liveBytes` before a step is what
    // stays resident (weights, gradients, AdamW's state), as torch.cuda.memory_allocated counts.
    let (result, _) = MemoryLedger.measure { () -> LessonResult in
        let ledger = MemoryLedger.current
        let model = base.classifier(seed: s.seed, numLabels: task.numLabels, dropout: s.dropout)   // pretrained encoder, new head
        let parameters = model.parameters()
        let decay = decayParameterNames(model)
        let named = model.namedParameters()
        let optimizer = ParameterGroups([
            AdamW(parameters: named.filter { decay.contains($0.0) }.map(\.1), learningRate: s.learningRate, weightDecay: s.weightDecay),
            AdamW(parameters: named.filter { !decay.contains($0.0) }.map(\.1), learningRate: s.learningRate, weightDecay: 0),
        ])
        let schedule = getScheduler(.linear, learningRate: s.learningRate, numWarmupSteps: s.warmupSteps, numTrainingSteps: s.totalSteps)
        let scaler = s.precision == .fp16 ? GradScaler(initScale: s.initScale, growthInterval: s.growthInterval) : nil
        let groups = layerGroups(model)
        let start = probeEncoder(base, encoder: model, prompt: s.fillMaskPrompt, expected: s.fillMaskExpected)
        let initial = evaluate(model, on: task.validation, numLabels: task.numLabels)
        var log = MetricsLog(), timings: [StepTiming] = [], evaluations: [LoggedEvaluation] = []
        var sinceLog: [Float] = [], skipped: [Int] = [], peak = 0, step = 0
        let order = Generator(seed: UInt64(s.seed) &+ 2)
        model.train()
        for _ in 0..<s.numTrainEpochs {
            let epoch = order.permutation(task.train.count).map { task.train[$0] }
            for first in stride(from: 0, to: epoch.count, by: s.perDeviceTrainBatchSize) {
                let b = FactTask.batch(epoch[first..<min(first + s.perDeviceTrainBatchSize, epoch.count)])
                let weightsBefore = groups.map { $0.parameters.map(\.scalars) }     // for the update ratios
                let resident = ledger.liveBytes
                // ANCHOR: step
                let clock = DispatchTime.now().uptimeNanoseconds
                optimizer.learningRate = schedule.lr(at: step)
                let scale = scaler?.scale ?? 1
                let ((loss, gradNorm, overflow), transient) = MemoryLedger.measure { () -> (Float, Float, Bool) in
                    optimizer.zeroGrad()
                    let logits = model(inputIds: b.ids, attentionMask: b.mask, shape: b.shape)   // [B, T] -> [B, 5]
                    let loss = CrossEntropyLoss()(logits, b.labels)
                    (loss * scale).backward()                          // every gradient `scale` times larger
                    if scaler != nil { roundGradientsToFP16(parameters) }  // as fp16 holds them
                    let overflow = unscaleGradients(parameters, scale: scale)   // unscale before clipping
                    let norm = clipGradNorm(parameters, maxNorm: s.maxGradNorm) // logged before clipping
                    if !overflow { optimizer.step() }                  // an overflowed gradient: skip the update
                    scaler?.update(foundInf: overflow)
                    return (loss.item(), norm, overflow)
                }
                let end = DispatchTime.now().uptimeNanoseconds
                step += 1
                // ANCHOR_END: step
                if overflow { skipped.append(step) }
                peak = max(peak, resident + transient)
                sinceLog.append(loss)
                timings.append(stepTiming(step: step, samples: b.labels.count, tokens: b.mask.reduce(0, +), start: clock, end: end))
                let ratios = zip(groups, weightsBefore).map { (layer: $0.name, ratio: updateToWeightRatio(before: $1, after: $0.parameters)) }
                // ANCHOR: log
                var evaluation: LoggedEvaluation? = nil
                if step % s.loggingSteps == 0 || step == s.totalSteps {
                    let trainLoss = loggedTrainingLoss(sinceLog)       // the window's mean, as the Trainer logs it
                    sinceLog.removeAll()
                    evaluation = LoggedEvaluation(step: step, trainLoss: trainLoss,
                                                  eval: evaluate(model, on: task.validation, numLabels: task.numLabels),
                                                  probe: probeEncoder(base, encoder: model, prompt: s.fillMaskPrompt, expected: s.fillMaskExpected))
                    evaluations.append(evaluation!)
                }
                let record = StepRecord(step: step, lr: optimizer.learningRate, gradNorm: gradNorm, lossScale: scaler.map { _ in scale },
                                        skipped: overflow, updateRatios: ratios, residentBytes: resident, peakBytes: resident + transient)
                log.append(metricsRow(record, stepsPerEpoch: s.stepsPerEpoch, evaluation: evaluation))
                // ANCHOR_END: log
                onStep(step, s.totalSteps, loss)
            }
        }
        // ANCHOR: diagnose
        let diagnosis = diagnose(train: evaluations.map { Float($0.trainLoss) }, validation: evaluations.map { Float($0.eval.loss) })
        // ANCHOR_END: diagnose
        return LessonResult(settings: s, log: log, timings: timings, evaluations: evaluations, diagnosis: diagnosis,
                            skippedSteps: skipped, peakBytes: peak, parameterCount: parameters.reduce(0) { $0 + $1.count },
                            start: start, initial: initial)
    }
    return result
}
