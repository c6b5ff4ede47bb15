import Foundation
import MiniTorch

/// The run: Hugging Face's usual fine-tuning recipe on a small classifier, logged in full.
public struct MonitoringSettings: Sendable, Equatable {
    public var tickets = TicketConfig()
    public var hiddenSize = 128
    public var learningRate: Float = 3e-3
    public var perDeviceTrainBatchSize = 32
    public var numTrainEpochs = 12
    public var warmupSteps = 30
    public var weightDecay: Float = 0.01
    public var maxGradNorm: Float = 1.0
    /// Log the training loss and evaluate every `loggingSteps` optimizer steps.
    public var loggingSteps = 25
    public var seed = 42
    public init() {}
}

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

public struct MonitoringResult: Sendable {
    public var settings: MonitoringSettings
    /// Step rows (lr, loss, grad_norm, peak_mb every step; eval columns every `loggingSteps`).
    public var log: MetricsLog
    public var timings: [StepTiming]
    public var evaluations: [(step: Int, trainLoss: Double, eval: Evaluation)]
    public var diagnosis: CurveDiagnosis
    public var stepsPerEpoch: Int
    /// Bytes of tensor storage held at the peak of a training step (model, Adam state,
    /// activations and gradients), the largest over the run.
    public var peakBytes: Int

    public var final: Evaluation { evaluations[evaluations.count - 1].eval }
    public var best: (step: Int, trainLoss: Double, eval: Evaluation) { evaluations.min { $0.eval.loss < $1.eval.loss }! }
}

/// Loss, accuracy and macro-F1 on `data` without a graph.
public func evaluate(_ model: Module, on data: TensorDataset) -> Evaluation {
    noGrad {
        let logits = model(data.features)                                   // [N, V] -> [N, 4]
        let loss = CrossEntropyLoss()(logits, data.labels).item()
        let scores = precisionRecallFScoreSupport(labels: data.labels, predictions: logits.argmax(axis: -1),
                                                  numClasses: Topic.allCases.count)
        return Evaluation(loss: Double(loss), accuracy: scores.accuracy, macroF1: scores.macroF1)
    }
}

public func runMonitoring(_ s: MonitoringSettings, onStep: (Int, Int) -> Void = { _, _ in }) -> MonitoringResult {
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
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            step += 1
            // ANCHOR_END: step
            peak = max(peak, stepPeak)
            sinceLog.append(loss)
            timings.append(StepTiming(step: step, seconds: seconds, samplesPerSecond: Double(batch.count) / seconds))
            // ANCHOR: log
            var row = MetricsRow(step: step, epoch: Double(step) / Double(loader.count),
                                 lr: Double(optimizer.learningRate), gradNorm: Double(gradNorm),
                                 extra: [("peak_mb", Double(stepPeak) / 1_048_576)])
            if step % s.loggingSteps == 0 || step == totalSteps {
                let trainLoss = Double(sinceLog.reduce(0, +) / Float(sinceLog.count))   // mean since the last log
                sinceLog.removeAll()
                let eval = evaluate(model, on: validation)
                row.loss = trainLoss
                row.evalLoss = eval.loss
                row.accuracy = eval.accuracy
                row.extra += [("perplexity", eval.perplexity), ("macro_f1", eval.macroF1)]
                evaluations.append((step, trainLoss, eval))
            }
            log.append(row)
            // ANCHOR_END: log
            onStep(step, totalSteps)
        }
    }
    // ANCHOR: diagnose
    let diagnosis = diagnose(train: evaluations.map { Float($0.1) }, validation: evaluations.map { Float($0.2.loss) })
    // ANCHOR_END: diagnose
    return MonitoringResult(settings: s, log: log, timings: timings,
                            evaluations: evaluations.map { (step: $0.0, trainLoss: $0.1, eval: $0.2) },
                            diagnosis: diagnosis, stepsPerEpoch: loader.count, peakBytes: peak)
}
