import Foundation
import MaskedLanguageModeling
import MiniTorch
import Testing
import Workbook
@testable import LoRALesson

/// Lesson 07's claims, from the same function the executable calls, at its default settings
/// (nine fine-tunes of 300 updates and five more for the scaling sweep, about 55 s in release on
/// an idle machine), and at the two variants the
/// chapter reports (fine-tuning seed 43; dropout off). Lesson 06's model is the one its tests'
/// default run saves (SharedLesson06Run).
@Suite("Lesson 07: LoRA")
struct Lesson07Tests {
    nonisolated(unsafe) static let base = Result { try pretrainedBase(seed: 42, folder: SharedLesson06Run.pretrainedFolder()) }
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lesson07-tests-\(UUID().uuidString)")
    nonisolated(unsafe) static let result = run(LoRALesson.Settings(), "default")
    /// The chapter's two checks of the headline: another fine-tuning seed, and dropout off.
    nonisolated(unsafe) static let seed43 = run({ var s = LoRALesson.Settings(); s.fineTuneSeed = 43; s.scalingRanks = []; return s }(), "seed43")
    nonisolated(unsafe) static let noDropout = run({ var s = LoRALesson.Settings(); s.fineTune.dropout = 0; s.fineTune.loraDropout = 0; s.scalingRanks = []; return s }(), "nodropout")

    static func run(_ settings: LoRALesson.Settings, _ name: String) -> Result<LoRALesson.LessonResult, any Error> {
        Result {
            let out = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            BLAS.setThreads(1)
            return try LoRALesson.run(settings, base: base.get(), folder: out)
        }
    }

    @Test func zeroInitializedBGivesTheBaseOutputExactly() throws {
        let r = try Self.result.get()
        #expect(r.zeroInitDifference == 0)
        #expect(try Self.base.get().mlmPerplexity > 2.96 && Self.base.get().mlmPerplexity < 2.975)   // "2.97"
        #expect(fmt(r.basePerplexity, digits: 2) == "2.97")
    }

    @Test func taskHoldsOutOneThirdOfTheCountryFormPairs() throws {
        let r = try Self.result.get()
        #expect(SyntheticCorpus.countries.count * SyntheticCorpus.factTemplates.count == 216)
        #expect(Int((216 * FactTask.validationShare).rounded()) == 72)
        #expect(r.task.train.count == 800 && r.task.validation.count == 400)
        #expect(r.task.numLabels == 5)
        // No validation sentence occurs in training.
        let train = Set(r.task.train.map(\.ids))
        #expect(r.task.validation.allSatisfy { !train.contains($0.ids) })
        #expect(r.settings.fineTune.totalSteps(trainExamples: 800) == 300)
    }

    @Test func trainableParametersFollowTheFormula() throws {
        let r = try Self.result.get()
        let full = r.run(.full)
        #expect(full.trainableParameters == 119_045 && full.allParameters == 119_045)
        for run in r.sweep {
            let rank = run.method.loraConfig!.r
            // r x (d_in + d_out) per adapted matrix: query and value of 2 layers, 64 -> 64.
            #expect(run.adaptedMatrices == 4)
            #expect(run.adapterParameters == rank * (64 + 64) * 4)
            #expect(run.trainableParameters == run.adapterParameters + 4_485)     // + the head
            #expect(run.allParameters == 119_045 + run.adapterParameters)
            #expect(run.optimizerStateBytes == 2 * 4 * run.trainableParameters)   // AdamW: exp_avg, exp_avg_sq
        }
        let r8 = r.loraRun(r: 8)
        #expect(r8.adapterParameters == 4_096 && r8.trainableParameters == 8_581)
        #expect(fmtPercent(r8.trainableShare, digits: 2) == "6.97%")
        #expect(fmtPercent(4_096.0 / 119_045.0) == "3.4%")
        #expect(fmtBytes(r8.optimizerStateBytes) == "67.0 KiB")
        #expect(fmtBytes(full.optimizerStateBytes) == "930.0 KiB")
        #expect(r.loraRun(r: 8, targets: Method.allLinear).adaptedMatrices == 12)
        // The line PEFT prints, from the library, on a fresh adapter.
        let base = try Self.base.get()
        let model = base.classifier(seed: 42, numLabels: 5)
        getPeftModel(model, Method.lora(r: 8).loraConfig!, generator: Generator(seed: 43))
        #expect(model.trainableParametersSummary() == "trainable params: 8,581 || all params: 123,141 || trainable%: 6.9684")
    }

    @Test func peakMemoryPerUpdateIsMeasured() throws {
        let r = try Self.result.get()
        let full = r.run(.full), qv = r.loraRun(r: 8), all = r.loraRun(r: 8, targets: Method.allLinear)
        // "about the same" for LoRA on query/value, "nearly twice" on all linear layers.
        #expect(abs(Double(qv.peakTrainingBytes) / Double(full.peakTrainingBytes) - 1) < 0.05)
        #expect(Double(all.peakTrainingBytes) / Double(full.peakTrainingBytes) > 1.6)
        #expect(Double(all.peakTrainingBytes) / Double(full.peakTrainingBytes) < 2)
    }

    @Test func rankSweepTradesAccuracyForForgetting() throws {
        let r = try Self.result.get()
        #expect(r.sweep.map { $0.method.loraConfig!.loraAlpha } == [2, 4, 8, 16, 32])   // alpha = 2r
        let accuracy = r.sweep.map { fmt($0.accuracy) }, perplexity = r.sweep.map { fmt($0.perplexity, digits: 2) }
        #expect(accuracy == ["0.537", "0.557", "0.630", "0.675", "0.752"])
        #expect(perplexity == ["3.25", "3.52", "3.83", "4.37", "6.14"])
        // More rank: more accuracy and more forgetting, at every step of the sweep.
        for (a, b) in zip(r.sweep, r.sweep.dropFirst()) {
            #expect(b.accuracy > a.accuracy && b.perplexity > a.perplexity)
        }
    }

    /// The rank sweep at alpha = 2r, alpha fixed at 16 and rsLoRA with alpha 16, at r = 1, 4, 16.
    @Test func scalingSweepSeparatesRankFromStepSize() throws {
        let r = try Self.result.get()
        let rows = r.scaling
        #expect(rows.map(\.rule) == [.twoR, .twoR, .twoR, .fixedAlpha, .fixedAlpha, .fixedAlpha, .rsLoRA, .rsLoRA, .rsLoRA])
        #expect(rows.map(\.r) == [1, 4, 16, 1, 4, 16, 1, 4, 16])
        #expect(rows.map { fmt(Double($0.config.scaling), digits: 2) } == ["2.00", "2.00", "2.00", "16.00", "4.00", "1.00", "16.00", "8.00", "4.00"])
        #expect(rows[6].run.method == rows[3].run.method)             // r = 1: rsLoRA's run is the fixed-alpha one
        #expect(rows[0].run.log == r.loraRun(r: 1).log && rows[2].run.log == r.loraRun(r: 16).log)   // alpha = 2r: the sweep's own runs
        #expect(rows.map { fmt($0.run.accuracy) } == ["0.537", "0.630", "0.752", "0.623", "0.637", "0.695", "0.623", "0.688", "0.818"])
        #expect(rows.map { fmt($0.run.perplexity, digits: 2) } == ["3.25", "3.83", "6.14", "4.06", "5.29", "4.50", "4.06", "7.30", "9.83"])
        // At r = 16 the factor alone orders accuracy and forgetting: 1 < 2 < 4.
        let at16 = [rows[5], rows[2], rows[8]]
        #expect(zip(at16, at16.dropFirst()).allSatisfy { $0.run.accuracy < $1.run.accuracy && $0.run.perplexity < $1.run.perplexity })
        // Alpha fixed: accuracy still rises with rank, forgetting does not (r = 16 below r = 4).
        #expect(rows[3].run.accuracy < rows[4].run.accuracy && rows[4].run.accuracy < rows[5].run.accuracy)
        #expect(rows[5].run.perplexity < rows[4].run.perplexity)
        // The tables of the other sections hold the alpha = 2r runs only.
        #expect(r.runs.count == 9 && r.lora.allSatisfy { $0.method.loraConfig!.loraAlpha == Float(2 * $0.method.loraConfig!.r) })
    }

    @Test func runsTableNumbers() throws {
        let r = try Self.result.get()
        let full1 = r.runs[0], full3 = r.runs[1]
        #expect(full1.learningRate == 1e-4 && full3.learningRate == 3e-4)
        #expect(r.lora.allSatisfy { $0.learningRate == 2e-3 && $0.method.loraConfig!.loraDropout == 0.1 })
        #expect(r.settings.fineTune.dropout == 0.1)
        #expect(fmt(full1.accuracy) == "0.690" && fmt(full1.perplexity, digits: 2) == "3.88")
        #expect(fmt(full3.accuracy) == "0.900" && fmt(full3.perplexity, digits: 2) == "6.23")
        let all1 = r.loraRun(r: 1, targets: Method.allLinear), all8 = r.loraRun(r: 8, targets: Method.allLinear)
        #expect(fmt(all1.accuracy) == "0.667" && fmt(all1.perplexity, digits: 2) == "3.47")
        #expect(fmt(all8.accuracy) == "0.895" && fmt(all8.perplexity, digits: 2) == "5.30")
        // LoRA's best comes within 0.005 of the full fine-tune's best.
        #expect(fmt(r.forgetting.fullBestAccuracy) == "0.900" && fmt(r.forgetting.loraBestAccuracy) == "0.895")
        #expect(r.forgetting.fullBestAccuracy - r.forgetting.loraBestAccuracy <= 0.005 + 1e-9)
        // Step 100 of the two runs that reach the top: LoRA is ahead on both counts.
        let (f100, l100) = (full3.log.first { $0.step == 100 }!, all8.log.first { $0.step == 100 }!)
        #expect(fmt(f100.accuracy, digits: 2) == "0.71" && fmt(f100.perplexity, digits: 2) == "4.51")
        #expect(fmt(l100.accuracy, digits: 2) == "0.80" && fmt(l100.perplexity, digits: 2) == "4.19")
    }

    @Test func mergedModelGivesTheSameOutputs() throws {
        let m = try Self.result.get().merge
        #expect(m.mergedDifference < 1e-5 && m.unloadedDifference < 1e-5)
        #expect(fmtScientific(Double(m.mergedDifference)) == "1.43e-06")
        #expect(m.reloadedDifference == 0)
        #expect(m.unmergeWeightDifference < 1e-6)
    }

    @Test func adapterFileIsAStatedFractionOfTheModelFile() throws {
        let m = try Self.result.get().merge
        #expect(m.adapterFileBytes == 35_876 && m.modelFileBytes == 480_684)
        #expect(fmtPercent(m.adapterFraction) == "7.5%")
    }

    @Test func disabledAdapterGivesBackTheBasePerplexityExactly() throws {
        let r = try Self.result.get()
        #expect(r.disabledPerplexities.count == r.lora.count)
        for (run, off) in zip(r.lora, r.disabledPerplexities) {
            #expect(off == r.basePerplexity)            // bit for bit: W0 was never written
            #expect(run.perplexity > r.basePerplexity)  // with the adapter on, it forgot something
        }
    }

    @Test func forgettingAtMatchedAccuracy() throws {
        let f = try Self.result.get().forgetting
        let table = f.table
        #expect(table.map { fmt($0.accuracy) } == ["0.600", "0.650", "0.700", "0.750", "0.800", "0.850", "0.895"])
        // LoRA forgets less at every level, up to the best accuracy both reach.
        for row in table { #expect(row.lora < row.full) }
        #expect(fmt(table[3].lora, digits: 2) == "4.19" && fmt(table[3].full, digits: 2) == "5.53")
        #expect(fmt(table[6].lora, digits: 2) == "5.30" && fmt(table[6].full, digits: 2) == "6.23")
        // The table's numbers are the Pareto front of every evaluation.
        for row in table {
            #expect(row.full == ForgettingComparison.bestPerplexity(f.fullPoints, atLeast: row.accuracy))
            #expect(f.fullPoints.allSatisfy { $0.accuracy < row.accuracy || $0.perplexity >= row.full })
        }
    }

    @Test func anotherFineTuningSeedKeepsOnlyTheLowerLevels() throws {
        let r = try Self.seed43.get()
        let f = r.forgetting, table = f.table
        #expect(table.map { fmt($0.accuracy) } == ["0.600", "0.650", "0.700", "0.750", "0.800", "0.828"])
        for row in table { #expect((row.lora < row.full) == (row.accuracy <= 0.65)) }
        #expect(fmt(table[2].lora, digits: 2) == "5.13" && fmt(table[2].full, digits: 2) == "4.37")
        #expect(fmt(f.fullBestAccuracy) == "0.890" && fmt(f.loraBestAccuracy) == "0.828")
        let all8 = r.loraRun(r: 8, targets: Method.allLinear)
        #expect(fmt(all8.accuracy) == "0.828" && fmt(all8.perplexity, digits: 2) == "7.35")
    }

    @Test func withoutDropoutLoRAForgetsLessOnlyUpTo070() throws {
        let r = try Self.noDropout.get(), d = try Self.result.get()
        let f = r.forgetting, table = f.table
        #expect(table.map { fmt($0.accuracy) } == ["0.600", "0.650", "0.700", "0.740"])
        for row in table { #expect((row.lora < row.full) == (row.accuracy <= 0.70)) }
        #expect(fmt(table[3].lora, digits: 2) == "6.51" && fmt(table[3].full, digits: 2) == "3.94")
        #expect(fmt(f.fullBestAccuracy) == "0.927" && fmt(f.loraBestAccuracy) == "0.740")
        // Dropout costs the full fine-tune more of the pretraining task than it costs LoRA.
        let (full3, full3d) = (r.runs[1], d.runs[1])
        #expect(fmt(full3.accuracy) == "0.927" && fmt(full3.perplexity, digits: 2) == "5.71")
        #expect(full3d.perplexity > full3.perplexity)
    }

    @Test func fullFineTuneWithFrozenEmbeddingsLearnsLess() throws {
        let r = try Self.result.get()
        var s = FineTuneSettings()
        s.freezeEmbeddings = true
        let frozen = fineTune(try Self.base.get(), task: r.task, method: .full, settings: s, learningRate: 1e-4)
        #expect(frozen.trainableParameters < 119_045)
        #expect(frozen.accuracy < r.runs[0].accuracy)
    }

    @Test func sameSeedSameTrace() throws {
        let r = try Self.result.get()
        #expect(traceCSV(r).render() == traceCSV(r).render())
        let again = fineTune(try Self.base.get(), task: r.task, method: .lora(r: 1), settings: FineTuneSettings(), learningRate: 2e-3)
        #expect(again.log == r.loraRun(r: 1).log)
    }
}
