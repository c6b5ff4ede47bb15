import Foundation
import MiniTorch

/// One side of gradient checkpointing's trade for one method: the peak memory of a training step
/// and its time, with the blocks' activations kept or recomputed.
public struct CheckpointingRow: Sendable {
    public let method: Method
    public let gradientCheckpointing: Bool
    public let peakTrainingBytes: Int
    public let stepMilliseconds: Double
}

/// A few steps of each method with and without gradient checkpointing, on the same batches:
/// the memory ledger's peak and the median step time. (The gradients are the same either way;
/// GradientCheckpointingTests checks that.)
public func checkpointingTrade(_ base: GPT2LMHeadModel, template: ChatTemplate, examples: [Instruction],
                               settings: [FineTuneSettings], steps: Int) -> [CheckpointingRow] {
    settings.flatMap { s in
        [false, true].map { on in
            var f = s
            f.maxSteps = steps
            f.warmupSteps = 0
            f.gradientCheckpointing = on
            let r = fineTune(base, template: template, examples: examples, f)
            return CheckpointingRow(method: s.method, gradientCheckpointing: on, peakTrainingBytes: r.peakTrainingBytes,
                                    stepMilliseconds: r.stepMilliseconds)
        }
    }
}
