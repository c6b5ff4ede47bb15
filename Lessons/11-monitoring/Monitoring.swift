import Foundation
import MiniTorch
import struct Overfitting.CurveDiagnosis
import func Overfitting.diagnose

/// What one evaluation of the validation set gives.
public struct Evaluation: Sendable, Equatable {
    public var loss: Double
    public var accuracy: Double
    public var macroF1: Double
    /// exp(loss): the number of equally likely topics the model is as unsure as.
    public var perplexity: Double { exp(loss) }
}

/// One optimizer step's wall-clock numbers: they differ from run to run, so they live apart
/// from the metrics a test compares.
public struct StepTiming: Sendable {
    public var step: Int
    public var seconds: Double
    public var samplesPerSecond: Double
}

/// Loss, accuracy and macro-F1 on `data` without a graph.
public func evaluate(_ model: Module, on data: TensorDataset) -> Evaluation {
    noGrad { () -> Evaluation in
        // BEGIN SOLUTION ex11_3
        let logits = model(data.features)                                   // [N, V] -> [N, 4]
        let loss = CrossEntropyLoss()(logits, data.labels).item()
        let scores = precisionRecallFScoreSupport(labels: data.labels, predictions: logits.argmax(axis: -1),
                                                  numClasses: Topic.allCases.count)
        return Evaluation(loss: Double(loss), accuracy: scores.accuracy, macroF1: scores.macroF1)
        // END SOLUTION
    }
}

/// Step `step`'s wall-clock numbers from the clock read before and after it (nanoseconds, as
/// `DispatchTime.uptimeNanoseconds`): its seconds, and the samples it processed per second.
public func stepTiming(step: Int, samples: Int, start: UInt64, end: UInt64) -> StepTiming {
    // BEGIN SOLUTION ex11_2
    let seconds = Double(end - start) / 1e9
    return StepTiming(step: step, seconds: seconds, samplesPerSecond: Double(samples) / seconds)
    // END SOLUTION
}

// ANCHOR: row
/// The log row of optimizer step `step` (counted from 1): the step columns every step (epoch as
/// a fraction, learning rate, gradient norm, peak memory in MiB), and at a logging step the
/// training loss since the last log and the evaluation's columns, perplexity and macro-F1 as
/// extra columns in that order.
public func metricsRow(step: Int, stepsPerEpoch: Int, lr: Float, gradNorm: Float, peakBytes: Int,
                       evaluation: (trainLoss: Double, eval: Evaluation)?) -> MetricsRow {
    // BEGIN SOLUTION ex11_1
    var row = MetricsRow(step: step, epoch: Double(step) / Double(stepsPerEpoch),
                         lr: Double(lr), gradNorm: Double(gradNorm),
                         extra: [("peak_mb", Double(peakBytes) / 1_048_576)])
    if let evaluation {
        row.loss = evaluation.trainLoss
        row.evalLoss = evaluation.eval.loss
        row.accuracy = evaluation.eval.accuracy
        row.extra += [("perplexity", evaluation.eval.perplexity), ("macro_f1", evaluation.eval.macroF1)]
    }
    return row
    // END SOLUTION
}
// ANCHOR_END: row

/// The run, logged in full; `onStep(step, totalSteps, loss)` after every optimizer step.
public func trainMonitored(_ s: Settings, onStep: (Int, Int, Float) -> Void = { _, _, _ in }) -> LessonResult {
    let (train, validation) = makeTickets(s.tickets, seed: s.seed)
    let model = MLP(sizes: [TicketWords.vocabulary.count, s.hiddenSize, Topic.allCases.count], generator: Generator(seed: s.seed))
    let optimizer = AdamW(parameters: model.parameters(), learningRate: s.learningRate, weightDecay: s.weightDecay)
    let loader = DataLoader(train, batchSize: s.perDeviceTrainBatchSize, shuffle: true, seed: s.seed, collate: Batch.collate)
    let totalSteps = s.numTrainEpochs * loader.count
    let schedule = getScheduler(.linear, learningRate: s.learningRate, numWarmupSteps: s.warmupSteps,
                                numTrainingSteps: totalSteps)
    var log = MetricsLog(), timings: [StepTiming] = [], evaluations: [(Int, Double, Evaluation)] = []
    var sinceLog: [Float] = [], peak = 0, step = 0

    for epoch in 0..<s.numTrainEpochs {
        for batch in loader.epoch(epoch) {
            // ANCHOR: step
            let start = DispatchTime.now().uptimeNanoseconds
            optimizer.learningRate = schedule.lr(at: step)
            let ((loss, gradNorm), stepPeak) = MemoryLedger.measure { () -> (Float, Float) in
                optimizer.zeroGrad()
                let loss = CrossEntropyLoss()(model(batch.inputs), batch.labels)   // [B, V] -> [B, 4] -> scalar
                loss.backward()
                let norm = clipGradNorm(model.parameters(), maxNorm: s.maxGradNorm)   // logged before clipping
                optimizer.step()
                return (loss.item(), norm)
            }
            let end = DispatchTime.now().uptimeNanoseconds
            step += 1
            // ANCHOR_END: step
            peak = max(peak, stepPeak)
            sinceLog.append(loss)
            timings.append(stepTiming(step: step, samples: batch.count, start: start, end: end))
            // ANCHOR: log
            var evaluation: (trainLoss: Double, eval: Evaluation)? = nil
            if step % s.loggingSteps == 0 || step == totalSteps {
                let trainLoss = Double(sinceLog.reduce(0, +) / Float(sinceLog.count))   // mean since the last log
                sinceLog.removeAll()
                let eval = evaluate(model, on: validation)
                evaluations.append((step, trainLoss, eval))
                evaluation = (trainLoss, eval)
            }
            log.append(metricsRow(step: step, stepsPerEpoch: loader.count, lr: optimizer.learningRate,
                                  gradNorm: gradNorm, peakBytes: stepPeak, evaluation: evaluation))
            // ANCHOR_END: log
            onStep(step, totalSteps, loss)
        }
    }
    // ANCHOR: diagnose
    let diagnosis = diagnose(train: evaluations.map { Float($0.1) }, validation: evaluations.map { Float($0.2.loss) })
    // ANCHOR_END: diagnose
    return LessonResult(settings: s, log: log, timings: timings,
                            evaluations: evaluations.map { (step: $0.0, trainLoss: $0.1, eval: $0.2) },
                            diagnosis: diagnosis, stepsPerEpoch: loader.count, peakBytes: peak)
}
