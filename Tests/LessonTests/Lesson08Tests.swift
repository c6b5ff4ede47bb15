import Foundation
import MiniTorch
import Testing
import LoRALesson
@testable import QLoRALesson

/// The claims of chapter 08 (QLoRA), as numbers.
@Suite struct Lesson08Tests {
    @Test func codeBooksAreTheChaptersTables() {
        #expect(QuantType.nf4.codebook[0] == -1 && QuantType.nf4.codebook[7] == 0 && QuantType.nf4.codebook[15] == 1)
        #expect(QuantType.nf4.codebook[14] == 0.7229568362236023)
        #expect(QuantType.nf4.codebook.filter { $0 < 0 }.count == 7 && QuantType.nf4.codebook.filter { $0 > 0 }.count == 8)
        let magnitudes: [Float] = [0, 0.0625, 2, 3, 4, 6, 8, 12].map { $0 / 12 }
        #expect(Set(QuantType.fp4.codebook.map { abs($0) }).sorted() == magnitudes)
        #expect(Set(QuantType.int4.codebook).count == 15)               // +0 and -0: one value, two codes
        // The derivation the chapter prints matches the published table to 4 decimals.
        #expect(zip(normalFloatCodebook(), QuantType.nf4.codebook).allSatisfy { abs($0 - $1) < 5e-5 })
    }

    @Test func theArithmeticOf65B() {
        let b = SixtyFiveB()
        #expect(b.loraParameters == 799_539_200)
        let budgets = b.budgets.map(\.memory)
        #expect(budgets[0].totalBytes == 780e9)                            // 12 bytes a parameter
        #expect(!budgets[0].fits(gigabytes: 48) && !budgets[1].fits(gigabytes: 48))
        #expect(abs(budgets[1].totalBytes / 1e9 - 139.59) < 0.005)
        let qlora = budgets[2]
        #expect(qlora.fits(gigabytes: 48))
        #expect(abs(qlora.totalBytes / 1e9 - 43.13) < 0.005)
        #expect(abs(qlora.lines[0].bytes / 1e9 - 32.5) < 1e-9 && abs(qlora.lines[1].bytes / 1e9 - 1.03) < 0.005)
        #expect(abs(780 / 48 - 16.25) < 1e-12)
        #expect(abs((qlora.lines[0].bytes + qlora.lines[1].bytes) / 1e9 - 33.5) < 0.05)              // the 4-bit base
        #expect(abs((qlora.lines[2].bytes + qlora.lines[3].bytes + qlora.lines[4].bytes) / 1e9 - 9.6) < 0.05)   // adapters
        #expect(abs((qlora.lines[0].bytes + qlora.lines[1].bytes) / 65e9 - 0.516) < 0.0005)         // bytes a base parameter
        let report = b.report()
        #expect(report.contains("43.13 GB  -> fits a 48 GB GPU with 4.9 GB left for activations"))
        #expect(report.contains("780.00 GB  -> needs 16.2 GPUs of 48 GB"))
        // With a Float32 master copy: 16 bytes a parameter, 1,040 GB.
        #expect(b.fullFinetuneMasterWeightsBytes == 1_040e9)
        #expect(report.contains("65B x (2 + 2 + 8 + 4) B = 1040.00 GB  -> needs 21.7 GPUs of 48 GB"))
        // The adapters' 12 bytes: 10 of gradient and AdamW state plus 2 for the weight.
        #expect(qlora.adapterBytes + qlora.gradientBytes + qlora.optimizerBytes == 12 && qlora.gradientBytes + qlora.optimizerBytes == 10)
    }

    /// The default run, as the chapter shows it.
    @Test func defaultRunMatchesTheChapter() throws {
        BLAS.setThreads(1)
        let s = QLoRALesson.Settings()
        let base = try loadPretrainedBase(seed: s.seed, folder: SharedLesson06Run.pretrainedFolder())
        let r = try QLoRALesson.run(s, base: base)

        // Reconstruction: NF4 loses least, on the encoder's weights and on normal samples.
        let c = r.codebooks
        #expect(c.weightCount == 98_304 && c.sampleCount == 1 << 20)
        for errors in [c.onWeights, c.onNormal] {
            let e = Dictionary(uniqueKeysWithValues: errors.map { ($0.quantType, $0.relativeError) })
            #expect(e[.nf4]! < e[.int4]! && e[.int4]! < e[.fp4]!)
            #expect(e[.nf4]! < 0.009 && e[.fp4]! > 0.014)
        }
        let entropy = Dictionary(uniqueKeysWithValues: c.onNormal.map { ($0.quantType, $0.codeEntropy) })
        #expect(entropy[.nf4]! > 3.85 && entropy[.nf4]! > entropy[.fp4]! && entropy[.fp4]! > entropy[.int4]!)
        #expect(c.weightKurtosis > 0 && c.weightKurtosis < 1.5)           // close to normal, slightly heavier tails
        let usage = Dictionary(uniqueKeysWithValues: c.onNormal.map { ($0.quantType, $0.codeUsage) })
        #expect(usage[.fp4]![8] == 0 && usage[.int4]![8] == 0)              // -0: a code that is never used
        #expect(usage[.fp4]![0] < 0.01 && usage[.fp4]![1] > 0.08)           // exact 0 loses to +-0.0052 next to it
        #expect(usage[.int4]![7] > 0.14)                                    // int4's middle code, 0
        #expect(usage[.int4]![1] < 0.02 && usage[.int4]![14] < 0.02)        // its outer ones +-6/7
        #expect(usage[.nf4]!.max()! < 0.1 && usage[.nf4]!.min()! > 0.015)  // NF4: all 16 in use, none over 10%

        // Bits per parameter, measured: 4.5 without, 4.127 with double quantisation (whole blocks).
        let f = r.footprints
        #expect(f.allSatisfy { $0.ledgerBytes == $0.totalBytes })
        #expect(f[0].bitsPerParameter == 4.5 && f[2].bitsPerParameter == 4.5)
        #expect(String(format: "%.3f", f[3].bitsPerParameter) == "4.127")
        #expect(f[3].bitsPerParameter == 4 + 8.0 / 64 + 32.0 / (64 * 256) + 32.0 / Double(1 << 20))
        #expect(f[1].bitsPerParameter > 4.127 && f[1].bitsPerParameter < 4.14)   // small tensors: partial blocks of 256

        // Perplexity barely moves; NF4 moves it least.
        let p = Dictionary(uniqueKeysWithValues: r.perplexities.map { ($0.name, $0) })
        #expect(p["float32"]!.perplexity < 3.2)
        for name in ["nf4", "fp4", "int4"] {
            #expect(p[name]!.perplexity / p["float32"]!.perplexity - 1 < 0.005)
            #expect(p[name]!.perplexity > p["float32"]!.perplexity)
            #expect(Double(p[name]!.modelBytes) < 0.3 * Double(p["float32"]!.modelBytes))
        }
        #expect(p["nf4"]!.perplexity < p["fp4"]!.perplexity && p["nf4"]!.perplexity < p["int4"]!.perplexity)

        // LoRA on the 4-bit base: accuracy within 3 points of the float32 base (mean of 3 seeds),
        // a smaller difference than the spread between seeds on one base.
        #expect(r.fullPrecision.count == 3 && r.quantized.count == 3)
        #expect(abs(r.accuracyGap) <= 0.03)
        let spread = r.fullPrecision.map(\.accuracy).max()! - r.fullPrecision.map(\.accuracy).min()!
        #expect(spread > abs(r.accuracyGap))
        #expect(r.fullPrecisionAccuracy > 0.7 && r.quantizedAccuracy > 0.7)
        #expect(r.fullPrecision[0].accuracyByEpoch[0] < 0.3)               // the new head starts near chance (5 classes)
        let (full, q) = (r.fullPrecision[0], r.quantized[0])
        #expect(full.trainableParameters == q.trainableParameters)
        #expect(Double(q.modelBytes) < 0.4 * Double(full.modelBytes))      // memory measured: 4-bit base + LoRA vs Float32
        #expect(abs(Double(q.peakTrainingBytes) / Double(full.peakTrainingBytes) - 1) < 0.05)   // activations dominate

        // The paged optimizer kept its state under the budget, moving pages every step.
        let paging = try #require(q.paging)
        #expect(paging.budgetBytes == 64 * 1024)
        #expect(paging.peakResidentBytes <= paging.budgetBytes)
        #expect(paging.stateBytes > 4 * paging.budgetBytes)
        #expect(paging.pageOuts > paging.steps && paging.pageIns > paging.steps)
        let pages = paging.stateBytes / paging.pageBytes
        #expect(Double(paging.pageIns) > 0.9 * Double(pages * paging.steps))   // nearly the whole state, every step
    }
}
