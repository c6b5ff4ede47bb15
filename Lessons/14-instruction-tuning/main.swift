// lesson-14-instruction-tuning: lesson 13's GPT taught to follow instructions about Shakespeare
// (who says a line, which play, its first and last word) by a full fine-tune, LoRA and QLoRA on the
// same data, with a ChatML template, loss on the response only, and a held-out exact-match test.
import ArgumentParser
import Foundation
import InstructionTuning
import MiniTorch
import Workbook

struct InstructionTuningLesson: LessonCommand {
    static let lessonFolder = "14-instruction-tuning"
    static let configuration = lessonConfiguration(
        abstract: "Instruction-tune lesson 13's GPT: chat template, response-only loss, full vs LoRA vs QLoRA.")

    @OptionGroup var options: LessonOptions

    @Option(help: "Which fine-tunes to run: full, lora, qlora, or all (the comparison).")
    var method = "all"
    @Option(help: "Optimizer steps of each fine-tune.")
    var maxSteps = 300
    @Option(help: "Conversations per step.")
    var perDeviceTrainBatchSize = 16
    @Option(help: "Peak learning rate of LoRA and QLoRA (the full fine-tune uses --full-learning-rate).")
    var learningRate: Float = 3e-3
    @Option(help: "Peak learning rate of the full fine-tune.")
    var fullLearningRate: Float = 1e-3
    @Option(help: "Steps of linear warm-up before the cosine decay.")
    var warmupSteps = 20
    @Option(help: "LoRA rank r.")
    var loraR = 8
    @Option(help: "LoRA alpha (the update is scaled by alpha / r).")
    var loraAlpha: Float = 16
    @Option(help: "Layers LoRA adapts, comma-separated (GPT-2 names: c_attn, c_proj, c_fc, lm_head).")
    var loraTargetModules = "c_attn,c_proj,c_fc,lm_head"
    @Flag(help: "Loss on every token, the prompt's too (default: on the response only).")
    var trainOnPrompt = false
    @Option(help: "Training instructions per task.")
    var trainPerTask = 2000
    @Option(help: "Held-out instructions per task (validation).")
    var heldOutPerTask = 50
    @Option(help: "Lesson 13's saved model: read if it exists; if not, pretrained as lesson 13 does and saved there.")
    var baseModel = "runs/13-gpt-pretraining/model"
    @Option(help: "Steps of that pretraining when the base model is missing (lesson 13's 1000); any other number saves the base in --out's base-model/ instead.")
    var baseMaxSteps = 1000
    @Option(help: "OpenBLAS and loop threads.")
    var threads = 2

    func validate() throws {
        try check(["all", "full", "lora", "qlora"].contains(method), "--method must be full, lora, qlora or all (got \(method))")
        try inRange(maxSteps, 1...100_000, "--max-steps")
        try inRange(perDeviceTrainBatchSize, 1...512, "--per-device-train-batch-size")
        try positive(learningRate, "--learning-rate")
        try positive(fullLearningRate, "--full-learning-rate")
        try inRange(warmupSteps, 0...maxSteps, "--warmup-steps")
        try inRange(loraR, 1...1024, "--lora-r")
        try positive(loraAlpha, "--lora-alpha")
        let known = ["c_attn", "c_proj", "c_fc", "lm_head", "attn.c_proj", "mlp.c_proj"]
        let targets = loraTargetModules.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        try check(!targets.isEmpty && targets.allSatisfy(known.contains),
                  "--lora-target-modules must list some of \(known.joined(separator: ", ")) (got \(loraTargetModules))")
        try inRange(trainPerTask, 1...100_000, "--train-per-task")
        try inRange(heldOutPerTask, 1...10_000, "--held-out-per-task")
        try inRange(threads, 1...2, "--threads")
        try inRange(baseMaxSteps, 1...100_000, "--base-max-steps")
    }

    func run() throws {
        BLAS.setThreads(threads)
        let out = try outputFolder()
        var s = Settings()
        s.methods = method == "all" ? Method.allCases : [Method(rawValue: method)!]
        s.compareTrainOnPrompt = method == "all"
        s.maxSteps = maxSteps
        s.perDeviceTrainBatchSize = perDeviceTrainBatchSize
        s.loraLearningRate = learningRate
        s.fullLearningRate = fullLearningRate
        s.warmupSteps = warmupSteps
        s.loraR = loraR
        s.loraAlpha = loraAlpha
        s.loraTargetModules = loraTargetModules.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        s.trainOnPrompt = trainOnPrompt
        s.trainPerTask = trainPerTask
        s.heldOutPerTask = heldOutPerTask
        s.baseFolder = URL(fileURLWithPath: baseModel)
        if baseMaxSteps != s.base.maxSteps && !FileManager.default.fileExists(atPath: baseModel) {
            s.baseFolder = URL(fileURLWithPath: out.file("base-model"))   // a shorter base never stands in for lesson 13's
        }
        if baseMaxSteps != s.base.maxSteps {
            s.base.maxSteps = baseMaxSteps
            s.base.warmupSteps = min(s.base.warmupSteps, baseMaxSteps / 10)
        }
        s.seed = options.seed

        var bar = ProgressBar(total: lessonParts(s), label: "steps", quiet: options.quiet)
        let r = try InstructionTuning.run(s, writeTo: URL(fileURLWithPath: out.path)) { bar.update($0) }
        bar.finish()
        for m in r.methods + (r.otherLabels.map { [$0] } ?? []) where !m.run.trainLosses.allSatisfy(\.isFinite) {
            throw LessonError("the \(m.run.settings.method.rawValue) fine-tune's loss became NaN; try a lower --learning-rate")
        }
        if r.base.pretrainedNow && !options.quiet { print("lesson 13's model was not in \(baseModel): pretrained it and saved it there") }
        try out.writeCSV("loss.csv", lossCSV(r))
        try out.cell("data", dataTable(r).render())
        try out.cell("template", templateText(r))
        try out.cell("accuracy", accuracyTable(r).render())
        try out.cell("cost", costTable(r).render())
        try out.cell("answers", answersText(r))
        try out.cell("checkpointing", checkpointingTable(r).render())
        if !options.quiet {
            print(accuracyTable(r).render())
            print(costTable(r).render())
            print(checkpointingTable(r).render())
            print(answersText(r))
        }
    }
}

InstructionTuningLesson.main()
