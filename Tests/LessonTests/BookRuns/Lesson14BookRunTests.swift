import Foundation
import Testing
import Workbook

/// Lesson 14's chapter, checked on the book's default run (results.csv): what the fine-tunes get
/// right, against the base model and the frequency floor, and what they cost. The run takes the
/// lesson's 90 seconds and starts from lesson 13's default model, so `swift test` does not repeat
/// it; these read the run `make book` made (see BookRun).
@Suite("Lesson 14: the book's default run", .enabled(if: BookRun.enabled, "reads book/build: make book-check runs it with BOOK_RUNS=1"))
struct Lesson14BookRunTests {
    static let methods = ["full fine-tune", "LoRA r=32 alpha=64", "QLoRA r=32 alpha=64"]
    static let everyToken = "full fine-tune, loss on every token"

    /// results.csv as model -> column -> number (empty cells left out).
    func results() throws -> [String: [String: Double]] {
        let t = try BookRun.csv("14-instruction-tuning", "results.csv")
        var table: [String: [String: Double]] = [:]
        for row in t.rows {
            table[row[0]] = Dictionary(uniqueKeysWithValues: zip(t.header, row).compactMap { k, v in Double(v).map { (k, $0) } })
        }
        return table
    }

    /// "0 of 100 stop ... every fine-tune that can change the head answers in the format and stops
    /// (99 or 100 of 100)"; each method beats the base (0%) and the frequency floor (7%; "I" for 12%
    /// of first words) over all held-out answers by at least 5 points.
    @Test func everyMethodBeatsTheBaseAndTheFloor() throws {
        let r = try results()
        let base = r["base"] ?? [:], floor = r["commonest answer"] ?? [:]
        #expect(base["all"] == 0 && base["stopped"] == 0 && base["answers"] == 100)
        #expect(abs((floor["all"] ?? 0) - 0.07) < 1e-9 && abs((floor["first_word"] ?? 0) - 0.12) < 1e-9)
        for m in Self.methods {
            let row = r[m] ?? [:]
            #expect((99...100).contains(row["stopped"] ?? 0), "\(m)")
            #expect((row["all"] ?? 0) >= (floor["all"] ?? 1) + 0.05, "\(m): \(row["all"] ?? 0)")
        }
    }

    /// The chapter's figures: first words 62% (full), 24% (LoRA and QLoRA); over all 36%, 18%,
    /// 18%; the play 10 to 12% for every method.
    @Test func theChaptersAccuracies() throws {
        let r = try results()
        let firstWords = Self.methods.map { r[$0]?["first_word"] ?? -1 }, overall = Self.methods.map { r[$0]?["all"] ?? -1 }
        #expect(zip(firstWords, [0.62, 0.24, 0.24]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(firstWords)")
        #expect(zip(overall, [0.36, 0.18, 0.18]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(overall)")
        for m in Self.methods { #expect((0.10...0.12).contains(r[m]?["play"] ?? -1), "\(m)") }
    }

    /// "the same full fine-tune with the loss on every token gets 14% of first words" and forgets
    /// less (3.70 bits per byte against 5.5 to 6.2 for the others, 2.40 before).
    @Test func responseOnlyLossBeatsLossOnEveryToken() throws {
        let r = try results()
        let every = r[Self.everyToken] ?? [:], full = r["full fine-tune"] ?? [:]
        #expect(abs((every["first_word"] ?? -1) - 0.14) < 1e-9)
        #expect((full["first_word"] ?? 0) > (every["first_word"] ?? 1) + 0.3)
        #expect(abs((r["base"]?["bits_per_byte"] ?? 0) - 2.40) < 0.005)
        #expect(abs((every["bits_per_byte"] ?? 0) - 3.70) < 0.005)
        for m in Self.methods {
            let bpb = r[m]?["bits_per_byte"] ?? 0
            #expect(bpb >= 5.45 && bpb <= 6.25 && bpb > (every["bits_per_byte"] ?? 9), "\(m): \(bpb)")
        }
    }

    /// "LoRA without lm_head gets nothing right and stops on none of the 100 ... forgets least
    /// (3.33)": the run the guide's target list minus lm_head makes, beside LoRA with it.
    @Test func loraWithoutTheHeadNeverStops() throws {
        let r = try results()
        let without = try #require(r["LoRA r=32 alpha=64, without lm_head"]), with = r["LoRA r=32 alpha=64"] ?? [:]
        #expect(without["stopped"] == 0 && without["all"] == 0 && without["answers"] == 100)
        #expect(abs((without["bits_per_byte"] ?? 0) - 3.33) < 0.005)
        #expect((without["bits_per_byte"] ?? 9) < (r[Self.everyToken]?["bits_per_byte"] ?? 0))
        // r x (in + out) per adapted layer, without lm_head's 32 x (128 + 2,050).
        #expect(without["trainable"] == (with["trainable"] ?? 0) - 32 * (128 + 2_050))
    }

    /// "the same mean loss to four digits ... 75% of the positions real, against 82% padded": the
    /// first 20 steps of the full fine-tune, packed and padded.
    @Test func packingTrainsTheSameModelAndSavesNothingHere() throws {
        let t = try BookRun.csv("14-instruction-tuning", "packing.csv")
        let padded = try #require(t.row("padded")), packed = try #require(t.row("packed"))
        let (lossPadded, lossPacked) = (Double(padded["mean_loss"] ?? "") ?? 0, Double(packed["mean_loss"] ?? "") ?? 1)
        #expect(abs(lossPadded - lossPacked) <= 1e-4 * lossPadded, "\(lossPadded) vs \(lossPacked)")
        let (sharePadded, sharePacked) = (Double(padded["real_token_share"] ?? "") ?? 0, Double(packed["real_token_share"] ?? "") ?? 0)
        #expect(abs(sharePadded - 0.82) < 0.005 && abs(sharePacked - 0.751) < 0.005, "\(sharePadded), \(sharePacked)")
    }

    /// The loss curves: the loss on every token starts lower and ends about twice the response-only
    /// loss (last 50 steps); QLoRA's curve is 0.05 from LoRA's on average.
    @Test func theLossCurves() throws {
        let t = try BookRun.csv("14-instruction-tuning", "loss.csv")
        func column(_ name: String) -> [Double] { (t.column(name) ?? []).compactMap { Double($0) } }
        let (full, every, lora, qlora) = (column("full"), column("full every token"), column("lora"), column("qlora"))
        #expect(full.count == 300 && every.count == 300 && lora.count == 300 && qlora.count == 300)
        func mean(_ x: ArraySlice<Double>) -> Double { x.reduce(0, +) / Double(max(x.count, 1)) }
        #expect(mean(every.prefix(10)) < mean(full.prefix(10)))
        let ratio = mean(every.suffix(50)) / mean(full.suffix(50))
        #expect(ratio > 1.8 && ratio < 2.2, "\(ratio)")
        let gap = zip(lora, qlora).map { abs($0 - $1) }.reduce(0, +) / Double(max(lora.count, 1))
        #expect(abs(gap - 0.05) < 0.005, "\(gap)")
    }

    /// "Recomputing cuts the peak roughly in half or more", for every method.
    @Test func checkpointingHalvesThePeak() throws {
        let t = try BookRun.csv("14-instruction-tuning", "checkpointing.csv")
        for method in ["full", "lora", "qlora"] {
            let peaks = Dictionary(uniqueKeysWithValues: t.rows.filter { $0[0] == method }.map { ($0[1], Double($0[2]) ?? 0) })
            let (off, on) = (peaks["off"] ?? 0, peaks["on"] ?? .infinity)
            #expect(on <= 0.55 * off, "\(method): \(on) with, \(off) without")
        }
    }

    /// "4.13 bits per weight ... the model in memory shrinks from 5.3 to 2.7 MiB"; AdamW's state
    /// 8.1 MiB (full) and 2.5 MiB (LoRA); LoRA trains 331,840 weights beside 1,063,936 frozen.
    @Test func theCostTable() throws {
        let r = try results()
        let mib = 1024.0 * 1024
        let lora = r["LoRA r=32 alpha=64"] ?? [:], qlora = r["QLoRA r=32 alpha=64"] ?? [:], full = r["full fine-tune"] ?? [:]
        #expect(abs((qlora["base_bits_per_weight"] ?? 0) - 4.13) < 0.005)
        #expect(abs((lora["model_bytes"] ?? 0) / mib - 5.3) < 0.05 && abs((qlora["model_bytes"] ?? 0) / mib - 2.7) < 0.05)
        #expect(abs((full["optimizer_state_bytes"] ?? 0) / mib - 8.1) < 0.05 && abs((lora["optimizer_state_bytes"] ?? 0) / mib - 2.5) < 0.05)
        #expect(lora["trainable"] == 331_840 && full["trainable"] == 1_063_936)
        // "LoRA's [peak] is higher than the full fine-tune's"; "padding wastes a fifth of each step"
        let peaks = try BookRun.csv("14-instruction-tuning", "checkpointing.csv").rows.filter { $0[1] == "off" }
            .reduce(into: [String: Double]()) { $0[$1[0]] = Double($1[2]) }
        #expect((peaks["lora"] ?? 0) > (peaks["full"] ?? 1))
        #expect(abs((full["real_token_share"] ?? 0) - 0.808) < 0.005)
    }
}
