// lesson-07-lora: fine-tune lesson 06's tiny RoBERTa to tell a fact's continent, in full and
// with low-rank adapters (a rank sweep, query/value vs all linear layers); count what each
// trains and stores, merge an adapter, and measure what each forgets of masked language modelling.
import Foundation
import LoRALesson
import MiniTorch
import Workbook

enum Main: LessonMain {
    static let folder = "07-lora"
    static let abstract = "LoRA on a pretrained tiny RoBERTa: B = 0 at the start, r sweep (alpha = 2r), q/v vs all linear, merge, adapter size, forgetting vs a full fine-tune."
    static let flags: [LessonFlag<LoRALesson.Settings>] = [
        LessonFlag("--learning-rate", \.fineTune.loraLearningRate, "Peak AdamW rate of every LoRA run.", .positive),
        LessonFlag("--full-learning-rates", \.fullLearningRates, "Peak AdamW rates of the full fine-tunes, comma-separated.",
                   Valid("positive numbers") { rates in
                       rates.allSatisfy { $0 > 0 && $0.isFinite } ? nil : "must all be positive (got \(rates.flagText))"
                   }),
        LessonFlag("--lora-r", \.ranks, "Ranks of the query/value sweep (alpha = 2r), comma-separated.",
                   Valid("ranks 1 to 64, 8 among them") { ranks in
                       !ranks.allSatisfy { (1...64).contains($0) } ? "values must be between 1 and 64 (got \(ranks.flagText))"
                           : !ranks.contains(8) ? "must include 8 (the adapter that is merged and saved)" : nil
                   }),
        LessonFlag("--scaling-ranks", \.scalingRanks, "Ranks of the sweep repeated with alpha fixed and with rsLoRA, comma-separated, or \"none\".",
                   Valid("ranks 1 to 64") { ranks in
                       ranks.allSatisfy { (1...64).contains($0) } ? nil : "values must be between 1 and 64 (got \(ranks.flagText))"
                   }),
        LessonFlag("--fixed-alpha", \.fixedAlpha, "The fixed alpha of that sweep (alpha / r, and rsLoRA's alpha / sqrt(r)).", .positive),
        LessonFlag("--num-train-epochs", \.fineTune.numTrainEpochs, "Passes over the training sentences, every run.", .range(1...200)),
        LessonFlag("--per-device-train-batch-size", \.fineTune.perDeviceTrainBatchSize, "Sentences per optimizer step.", .range(1...800)),
        LessonFlag("--hidden-dropout-prob", \.fineTune.dropout,
                   "Dropout in the encoder and before the head while fine-tuning (Hugging Face's hidden_dropout_prob and attention_probs_dropout_prob).", .range(0..<1)),
        LessonFlag("--lora-dropout", \.fineTune.loraDropout, "Dropout on the input of every LoRA adapter (PEFT's lora_dropout).", .range(0..<1)),
        LessonFlag("--fine-tune-seed", \.fineTuneSeed,
                   "Seed of the fine-tunes (new head, adapters, batch order, dropout); default: --seed. The pretrained model stays --seed's."),
        LessonFlag("--pretrained-dir", \.pretrainedDir, "Folder of lesson 06's pretrained model (pretrained and saved there if missing).", valueName: "dir"),
    ]

    static func main(_ settings: LoRALesson.Settings, _ lesson: LessonRun) throws {
        BLAS.setThreads(1)   // small matrices: one thread is fastest and keeps runs reproducible
        let result = try run(settings, folder: URL(fileURLWithPath: lesson.out.path), quiet: lesson.quiet, progress: lesson.progress)
        try report(result, to: lesson.out)
    }
}

Main.main()
