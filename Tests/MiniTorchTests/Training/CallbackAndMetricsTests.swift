import Foundation
import Testing
@testable import MiniTorch

@Suite("Early stopping, metrics, curve diagnosis, metrics log, atomic files")
struct CallbackAndMetricsTests {
    final class OneWeight: Module {
        let w = Tensor([0])
    }

    /// Feeds `losses` to the callback as evaluations 1, 2, ...; before each, the model's weight
    /// is set to the evaluation's number, so the restored weight says which one was best.
    func replay(_ losses: [Double], _ callback: EarlyStoppingCallback, model: OneWeight) -> Int? {
        var state = TrainerState()
        for (i, loss) in losses.enumerated() {
            var control = TrainerControl()
            model.w.pointer[0] = Float(i + 1)
            state.globalStep = (i + 1) * 10
            state.epoch = Double(i + 1)
            callback.onEvaluate(["eval_loss": loss, "eval_accuracy": 1 - loss], state: state, control: &control, model: model)
            if control.shouldTrainingStop {
                callback.onTrainEnd(state: state, model: model)
                return i + 1
            }
        }
        callback.onTrainEnd(state: state, model: model)
        return nil
    }

    @Test func earlyStoppingStopsAfterPatienceAndRestoresBest() {
        let model = OneWeight()
        let stopper = EarlyStoppingCallback(patience: 3)
        // Best at evaluation 3 (0.7); 4, 5, 6 are not better; the stop comes at 6.
        #expect(replay([1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.5], stopper, model: model) == 6)
        #expect(stopper.bestValue == 0.7 && stopper.bestEvaluation == 3 && stopper.bestStep == 30 && stopper.bestEpoch == 3)
        #expect(stopper.stoppedAtStep == 60)
        #expect(model.w.scalars == [3])   // the weights of evaluation 3 are back

        // A new best resets the count; a threshold makes small gains count as none.
        #expect(replay([1.0, 0.9, 0.95, 0.96, 0.85, 0.9, 0.9, 0.9], EarlyStoppingCallback(patience: 3), model: OneWeight()) == 8)
        let strict = EarlyStoppingCallback(patience: 2, threshold: 0.05)
        #expect(replay([1.0, 0.97, 0.96, 0.5], strict, model: OneWeight()) == 3)
        // Accuracy: greater is better.
        let byAccuracy = EarlyStoppingCallback(patience: 1, metric: "accuracy", greaterIsBetter: true)
        #expect(replay([0.5, 0.4, 0.45], byAccuracy, model: model) == 3)
        #expect(byAccuracy.bestValue == 0.6)
        // Never stopping still restores the best at the end.
        let patient = EarlyStoppingCallback(patience: 10)
        let m = OneWeight()
        #expect(replay([0.9, 0.3, 0.6], patient, model: m) == nil)
        #expect(m.w.scalars == [2])
    }

    @Test func accuracyAndPerplexity() {
        #expect(accuracy(predictions: [1, 0, 2, 2], labels: [1, 1, 2, -100]) == 2.0 / 3)
        let logits = Tensor(rows: [[0.1, 2], [3, 0], [0, 1]])
        #expect(accuracy(logits: logits, labels: [1, 1, -100]) == 0.5)
        #expect(abs(perplexity(meanLoss: log(4.0)) - 4) < 1e-12)
    }

    @Test func metricsLogColumnsCSVAndJSONLines() throws {
        var log = MetricsLog()
        log.append(MetricsRow(step: 10, epoch: 0.5, lr: Double(Float(1e-3)), loss: Double(Float(0.6931)), gradNorm: 1.5, seconds: 0.25))
        log.append(MetricsRow(step: 20, epoch: 1, lr: 5e-4, loss: 0.5, evalLoss: 0.55, accuracy: 0.75, gradNorm: 1.25, seconds: 0.5,
                              extra: [("perplexity", 1.75)]))
        #expect(log.columns == ["step", "epoch", "lr", "loss", "eval_loss", "accuracy", "grad_norm", "seconds", "perplexity"])
        let csv = log.csv().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(csv[0] == "step,epoch,lr,loss,eval_loss,accuracy,grad_norm,seconds,perplexity")
        #expect(csv[1] == "10,0.5,0.001,0.6931,,,1.5,0.25,")
        #expect(csv[2] == "20,1.0,0.0005,0.5,0.55,0.75,1.25,0.5,1.75")
        #expect(csv.count == 4 && csv[3].isEmpty)
        let json = log.jsonLines().split(separator: "\n").map(String.init)
        #expect(json[0] == #"{"step":10,"epoch":0.5,"lr":0.001,"loss":0.6931,"grad_norm":1.5,"seconds":0.25}"#)
        for line in json {
            #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any])
        }
        #expect(log.series("eval_loss").map(\.step) == [20])

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("metricslog-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try log.write(csv: folder.appendingPathComponent("metrics.csv"), jsonLines: folder.appendingPathComponent("metrics.jsonl"))
        #expect(try String(contentsOf: folder.appendingPathComponent("metrics.csv"), encoding: .utf8) == log.csv())
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["metrics.csv", "metrics.jsonl"])
    }

    @Test func atomicFileLeavesNoTemporaryAndKeepsTheOldFileOnFailure() throws {
        struct Interrupted: Error {}
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("sub/out.txt")
        try AtomicFile.write("first", to: target)       // creates the folder
        try AtomicFile.write("second", to: target)      // replaces
        #expect(try String(contentsOf: target, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.deletingLastPathComponent().path) == ["out.txt"])

        // A writer that fails half-way: the old file stays whole, the temporary is gone.
        #expect(throws: Interrupted.self) {
            try AtomicFile.write(to: target) { handle in
                try handle.write(contentsOf: Data("half of a new fi".utf8))
                throw Interrupted()
            }
        }
        #expect(try String(contentsOf: target, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.deletingLastPathComponent().path) == ["out.txt"])

        // A target that cannot be replaced (a folder is in the way): a one-line error, no debris.
        let blocked = folder.appendingPathComponent("blocked")
        try FileManager.default.createDirectory(at: blocked.appendingPathComponent("inside"), withIntermediateDirectories: true)
        do {
            try AtomicFile.write("x", to: blocked)
            Issue.record("writing over a folder should fail")
        } catch let error as AtomicFileError {
            #expect(error.description.hasPrefix("cannot write \(blocked.path): "))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["blocked", "sub"])
    }
}
