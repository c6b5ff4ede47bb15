import Foundation
import MiniTorch

/// One full masked-language-model training step, as the PyTorch reference in shared/PERF.md
/// times it: forward through a post-LN RoBERTa encoder (GELU, dropout 0.1) and the tied MLM head
/// (logits at every position), cross-entropy over the ~15% masked positions, backward, AdamW.
struct StepSize {
    let name: String
    let vocab: Int, hidden: Int, heads: Int, layers: Int, intermediate: Int, seq: Int, batch: Int
    /// PyTorch 2.x eager on a 2-core machine of this kind (shared/PERF.md), ms per step, 1 thread.
    let torchMs1t: Double
    let torchMs2t: Double

    static let tiny = StepSize(name: "tiny", vocab: 1000, hidden: 64, heads: 4, layers: 2, intermediate: 256,
                               seq: 32, batch: 32, torchMs1t: 45, torchMs2t: 34)
    static let small = StepSize(name: "small", vocab: 8000, hidden: 256, heads: 4, layers: 4, intermediate: 1024,
                                seq: 128, batch: 16, torchMs1t: 1420, torchMs2t: 900)

    var config: RobertaConfig {
        RobertaConfig(vocabSize: vocab, hiddenSize: hidden, numHiddenLayers: layers, numAttentionHeads: heads,
                      intermediateSize: intermediate, hiddenDropoutProb: 0.1, attentionProbsDropoutProb: 0.1,
                      maxPositionEmbeddings: seq + 2)
    }
}

struct StepResult {
    /// Wall-clock median.
    let msPerStep: Double
    /// Median CPU time of the main thread (with one BLAS thread, all the work); unlike the wall
    /// clock it does not grow when other processes share the cores.
    let cpuMsPerStep: Double
    let tokensPerSecond: Double
    let peakBytes: Int
}

/// Runs `warmup` steps, then times `steps` more and returns the median. Peak memory is the
/// MemoryLedger's peak over the whole run: parameters, AdamW state, gradients and activations.
func timeTrainingStep(_ size: StepSize, threads: Int, warmup: Int, steps: Int) -> StepResult {
    BLAS.setThreads(threads)
    let generator = Generator(seed: 9)
    let words = (WordTokenizer.specialTokens.count..<size.vocab).map { "w\($0)" }
    let tokenizer = WordTokenizer(vocabulary: WordTokenizer.specialTokens + words)
    let collator = DataCollatorForLanguageModeling(tokenizer: tokenizer, generator: generator)
    // A few batches of full-length random sentences (<s> w w ... w </s>, no padding), masked
    // once up front: collation is the data pipeline's work, not the step's.
    let batches = (0..<4).map { _ in
        collator((0..<size.batch).map { _ in
            [WordTokenizer.bosID] + (0..<(size.seq - 2)).map { _ in WordTokenizer.specialTokens.count + generator.int(below: words.count) } + [WordTokenizer.eosID]
        })
    }
    var times: [Double] = [], cpuTimes: [Double] = []
    let (_, peak) = MemoryLedger.measure {
        let model = RobertaForMaskedLM(config: size.config, generator: generator)
        let optimizer = AdamW(parameters: model.parameters(), learningRate: 1e-4)
        for i in 0..<(warmup + steps) {
            let batch = batches[i % batches.count]
            let start = wallSeconds(), cpuStart = threadSeconds()
            let logits = model(batch)                                                // [B, T, vocab]
            let loss = crossEntropy(logits.reshape([-1, size.vocab]), batch.labels)  // masked positions only
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            if i >= warmup { times.append(wallSeconds() - start); cpuTimes.append(threadSeconds() - cpuStart) }
        }
    }
    let seconds = times.sorted()[times.count / 2]
    let cpuSeconds = cpuTimes.sorted()[cpuTimes.count / 2]
    return StepResult(msPerStep: seconds * 1000, cpuMsPerStep: cpuSeconds * 1000, tokensPerSecond: Double(size.batch * size.seq) / seconds, peakBytes: peak)
}

extension Report {
    mutating func trainingSteps(quick: Bool) {
        table("One MLM training step (forward, backward, AdamW), median after warm-up; PyTorch from shared/PERF.md",
              ["model", "threads", "ms / step", "main-thread CPU ms", "tokens / s", "peak MiB", "PyTorch ms", "ratio vs PyTorch"])
        for size in [StepSize.tiny, .small] {
            for threads in [1, 2] {
                let tiny = size.name == "tiny"
                let r = timeTrainingStep(size, threads: threads, warmup: tiny ? 5 : 2,
                                         steps: quick ? (tiny ? 10 : 3) : (tiny ? 40 : 7))
                let torch = threads == 1 ? size.torchMs1t : size.torchMs2t
                row([size.name, "\(threads)", fmt(r.msPerStep, 1), fmt(r.cpuMsPerStep, 1), fmt(r.tokensPerSecond, 0),
                     fmt(Double(r.peakBytes) / 1048576, 1), fmt(torch, 0), fmt(r.msPerStep / torch)])
                let key = "\(size.name)_step_ms_\(threads)t"
                json[key] = r.msPerStep
                json["\(size.name)_step_cpu_ms_\(threads)t"] = r.cpuMsPerStep
                json["\(size.name)_tokens_per_s_\(threads)t"] = r.tokensPerSecond
                json["\(size.name)_peak_bytes_\(threads)t"] = r.peakBytes
                json["\(size.name)_torch_ratio_\(threads)t"] = r.msPerStep / torch
            }
        }
        BLAS.setThreads(1)
        note("Targets: tiny <= 0.8 x PyTorch, small <= 1.2 x (1 thread). PyTorch medians: tiny 45 ms / 34 ms, small 1420 ms / 900 ms (1 / 2 threads; dropout 0.1).")
        print()
    }
}
