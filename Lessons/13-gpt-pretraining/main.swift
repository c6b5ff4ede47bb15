// lesson-13-gpt-pretraining: a GPT-2-style decoder pretrained from scratch on Shakespeare with
// lesson 12's BPE, its curves against unigram and bigram floors, samples as it learns, decoding
// settings compared, a causality check, and the model saved as Hugging Face's GPT-2.
import Foundation
import GPTPretraining
import MiniTorch
import Workbook

enum Main: LessonMain {
    static let folder = "13-gpt-pretraining"
    static let abstract = "Pretrain a small GPT on Shakespeare: next-token loss, bits per byte, sampling, a KV cache."
    static let flags: [LessonFlag<Settings>] = [
        LessonFlag("--max-steps", \.maxSteps, "Optimizer steps (the cosine schedule ends at the last one).", .range(1...1_000_000)),
        LessonFlag("--learning-rate", \.learningRate, "Peak learning rate of AdamW (linear warm-up, then cosine decay to 0).", .positive),
        LessonFlag("--warmup-steps", \.warmupSteps, "Steps over which the learning rate rises from 0 to its peak (at most --max-steps).", .atLeast(0)),
        LessonFlag("--per-device-train-batch-size", \.perDeviceTrainBatchSize, "Sequences of 64 tokens per step.", .range(1...512)),
        LessonFlag("--weight-decay", \.weightDecay, "AdamW weight decay on the matrices (none on biases and LayerNorms).", .range(0...1)),
        LessonFlag("--eval-steps", \.evalSteps, "Measure the held-out loss every this many steps.", .range(1...1_000_000)),
        LessonFlag("--max-eval-samples", \.maxEvalSamples, "Held-out windows of 64 tokens in the final evaluation (0: all of them).", .atLeast(0)),
        LessonFlag("--overfit-steps", \.overfitSteps, "Steps of the sanity check that learns one batch by heart.", .range(1...100_000)),
        LessonFlag("--n-layer", \.nLayer, "Transformer blocks (GPT2Config.n_layer).", .range(1...48)),
        LessonFlag("--n-embd", \.nEmbd, "Width of the residual stream (n_embd; a multiple of --n-head).", .range(8...1024)),
        LessonFlag("--n-head", \.nHead, "Attention heads per block (n_head).", .range(1...64)),
        LessonFlag("--dropout", \.dropout, "Dropout of GPT-2's embeddings, attention and residual branches.",
                   Valid("0 up to (not including) 1") { $0 >= 0 && $0 < 1 ? nil : "must be in [0, 1) (got \($0))" }),
        LessonFlag("--prompt", \.prompt, "Text the samples continue.", Valid("not empty") { $0.isEmpty ? "must not be empty" : nil }),
        LessonFlag("--threads", \.threads, "Threads for the matrix products and loops: 2 uses both cores of a laptop (faster than 1; the numbers agree to about six digits).", .range(1...2)),
    ]

    static func main(_ settings: Settings, _ lesson: LessonRun) throws {
        BLAS.setThreads(settings.threads)
        let model = URL(fileURLWithPath: lesson.out.file("model"))
        try report(run(settings, saveTo: model, progress: lesson.progress), to: lesson.out)
    }
}

Main.main()
