// lesson-08-qlora: a pretrained encoder in 4 bits (NF4, double quantisation), LoRA on top,
// a paged optimizer, and the memory arithmetic of a 65B model.
import MiniTorch
import QLoRALesson
import Workbook

enum Main: LessonMain {
    static let folder = "08-qlora"
    static let abstract = "QLoRA: NF4 and double quantization of a pretrained encoder, LoRA on the 4-bit base, a paged optimizer, 65B in 48 GB."
    static let flags: [LessonFlag<QLoRALesson.Settings>] = [
        LessonFlag("--quant-type", \.quantType, "4-bit code book of the QLoRA run: nf4, fp4 or int4 (bnb_4bit_quant_type)."),
        LessonFlag(switch: "--double-quant", \.doubleQuantization, "Quantize the block constants again (bnb_4bit_use_double_quant)."),
        LessonFlag("--lora-r", \.loraR, "LoRA rank r on every linear layer of the encoder.", .range(1...64)),
        LessonFlag("--lora-alpha", \.loraAlpha, "LoRA alpha (the update is scaled by alpha / r).", .positive),
        LessonFlag("--learning-rate", \.learningRate, "AdamW learning rate of the adapters.", .positive),
        LessonFlag("--num-train-epochs", \.numTrainEpochs, "Passes over the fact task's training examples.", .range(1...50)),
        // A batch cannot be larger than lesson 07's training set.
        LessonFlag("--per-device-train-batch-size", \.fineTune.perDeviceTrainBatchSize, "Examples per batch.",
                   .range(1...QLoRALesson.Settings().fineTune.trainExamples)),
        LessonFlag("--fine-tune-seeds", \.fineTuneSeeds, "Fine-tuning seeds each comparison is repeated with (seed, seed + 1, ...).", .range(1...10)),
        LessonFlag("--page-size", \.pageSize, "Floats per page of the paged optimizer's state.", .range(16...1_048_576)),
        LessonFlag("--optimizer-budget-kib", \.optimizerBudgetKib, "Device memory for the paged optimizer's state, in KiB."),
        LessonFlag("--pretrained-dir", \.pretrainedDir, "Folder of lesson 06's pretrained model (pretrained and saved there if missing).", valueName: "dir"),
    ]

    static func main(_ settings: QLoRALesson.Settings, _ lesson: LessonRun) throws {
        BLAS.setThreads(1)
        try report(run(settings, quiet: lesson.quiet, progress: lesson.progress), to: lesson.out)
    }
}

Main.main()
