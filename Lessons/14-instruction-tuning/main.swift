// lesson-14-instruction-tuning: lesson 13's GPT taught to follow instructions about Shakespeare
// (by default the first word of a line and which play it is from) by a full fine-tune, LoRA and QLoRA on the
// same data, with a ChatML template, loss on the response only, and a held-out exact-match test.
import Foundation
import InstructionTuning
import MiniTorch
import Workbook

enum Main: LessonMain {
    static let folder = "14-instruction-tuning"
    static let abstract = "Instruction-tune lesson 13's GPT: chat template, response-only loss, full vs LoRA vs QLoRA."
    static let flags: [LessonFlag<Settings>] = [
        LessonFlag("--method", \.method, "Which fine-tunes to run: full, lora, qlora, or all (the comparison).",
                   Valid("full, lora, qlora or all") { ["all", "full", "lora", "qlora"].contains($0) ? nil : "must be full, lora, qlora or all (got \($0))" }),
        LessonFlag("--max-steps", \.maxSteps, "Optimizer steps of each fine-tune.", .range(1...100_000)),
        LessonFlag("--per-device-train-batch-size", \.perDeviceTrainBatchSize, "Conversations per step.", .range(1...512)),
        LessonFlag("--learning-rate", \.loraLearningRate, "Peak learning rate of LoRA and QLoRA (the full fine-tune uses --full-learning-rate).", .positive),
        LessonFlag("--full-learning-rate", \.fullLearningRate, "Peak learning rate of the full fine-tune.", .positive),
        LessonFlag("--warmup-steps", \.warmupSteps, "Steps of linear warm-up before the cosine decay (at most --max-steps).", .atLeast(0)),
        LessonFlag("--lora-r", \.loraR, "LoRA rank r.", .range(1...1024)),
        LessonFlag("--lora-alpha", \.loraAlpha, "LoRA alpha (the update is scaled by alpha / r).", .positive),
        LessonFlag("--lora-target-modules", \.loraTargetModules, "Layers LoRA adapts, comma-separated (GPT-2 names: c_attn, c_proj, c_fc, lm_head).",
                   Valid("some of \(targetModules.joined(separator: ", "))") { targets in
                       !targets.isEmpty && targets.allSatisfy(targetModules.contains) ? nil
                           : "must list some of \(targetModules.joined(separator: ", ")) (got \(targets.flagText))"
                   }),
        LessonFlag(switch: "--train-on-prompt", \.trainOnPrompt, "Loss on every token, the prompt's too (off: on the response only)."),
        LessonFlag("--tasks", \.taskNames, "Tasks to teach, comma-separated: \(InstructionTask.allCases.map(\.rawValue).joined(separator: ", ")).",
                   Valid("some of \(InstructionTask.allCases.map(\.rawValue).joined(separator: ", "))") { names in
                       !names.isEmpty && names.allSatisfy { InstructionTask(rawValue: $0) != nil } ? nil
                           : "must list some of \(InstructionTask.allCases.map(\.rawValue).joined(separator: ", ")) (got \(names.flagText))"
                   }),
        LessonFlag(switch: "--packing", \.packing, "Pack each step's conversations into as few rows as fit, each attending only to itself (TRL's packing=True)."),
        LessonFlag("--train-per-task", \.trainPerTask, "Training instructions per task.", .range(1...100_000)),
        LessonFlag("--held-out-per-task", \.heldOutPerTask, "Held-out instructions per task (validation).", .range(1...10_000)),
        LessonFlag("--base-model", \.baseModel, "Lesson 13's saved model: read if it exists; if not, pretrained as lesson 13 does and saved there.",
                   Valid("a folder") { $0.isEmpty ? "must name a folder (got an empty string)" : nil }),
        LessonFlag("--base-max-steps", \.baseMaxSteps, "Steps of that pretraining when the base model is missing (lesson 13's \(Settings().baseMaxSteps)); any other number saves the base in --out's base-model/ instead.",
                   .range(1...100_000)),
        LessonFlag("--threads", \.threads, "Threads for the matrix products and loops.", .range(1...2)),
    ]
    /// The layers LoRA can adapt, in GPT-2's names (`c_proj` is both attention's and the MLP's).
    static let targetModules = ["c_attn", "c_proj", "c_fc", "lm_head", "attn.c_proj", "mlp.c_proj"]

    static func main(_ settings: Settings, _ lesson: LessonRun) throws {
        BLAS.setThreads(settings.threads)
        try report(run(settings, writeTo: URL(fileURLWithPath: lesson.out.path), progress: lesson.progress), to: lesson.out)
    }
}

Main.main()
