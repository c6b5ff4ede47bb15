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
    /// (100 of 100)"; each method beats the base (0%) and the frequency floor (7%; "I" for 12% of
    /// first words) over all held-out answers by at least 5 points.
    @Test func everyMethodBeatsTheBaseAndTheFloor() throws {
        let r = try results()
        let base = r["base"] ?? [:], floor = r["commonest answer"] ?? [:]
        #expect(base["all"] == 0 && base["stopped"] == 0 && base["answers"] == 100)
        #expect(abs((floor["all"] ?? 0) - 0.07) < 1e-9 && abs((floor["first_word"] ?? 0) - 0.12) < 1e-9)
        for m in Self.methods {
            let row = r[m] ?? [:]
            #expect(row["stopped"] == 100, "\(m)")
            #expect((row["all"] ?? 0) >= (floor["all"] ?? 1) + 0.05, "\(m): \(row["all"] ?? 0)")
        }
    }

    /// The chapter's figures: first words 66% (full), 52% (LoRA), 46% (QLoRA); over all 36%, 31%,
    /// 28%; the play 6 to 10% for every method (6% full, 10% the adapters).
    @Test func theChaptersAccuracies() throws {
        let r = try results()
        let firstWords = Self.methods.map { r[$0]?["first_word"] ?? -1 }, overall = Self.methods.map { r[$0]?["all"] ?? -1 }
        #expect(zip(firstWords, [0.66, 0.52, 0.46]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(firstWords)")
        #expect(zip(overall, [0.36, 0.31, 0.28]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(overall)")
        let plays = Self.methods.map { r[$0]?["play"] ?? -1 }
        #expect(zip(plays, [0.06, 0.10, 0.10]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(plays)")
    }

    /// "the same full fine-tune with the loss on every token gets 12% of first words, no better than
    /// the floor" (8% of plays against 6%) and forgets less (3.58 bits per byte against 4.80 to 5.25
    /// for the others, 2.23 before); "LoRA and QLoRA forget more than the full fine-tune (5.23 and
    /// 5.25 against 4.80)".
    @Test func responseOnlyLossBeatsLossOnEveryToken() throws {
        let r = try results()
        let every = r[Self.everyToken] ?? [:], full = r["full fine-tune"] ?? [:]
        #expect(abs((every["first_word"] ?? -1) - 0.12) < 1e-9 && abs((every["play"] ?? -1) - 0.08) < 1e-9)
        #expect((full["first_word"] ?? 0) > (every["first_word"] ?? 1) + 0.3)
        #expect(abs((r["base"]?["bits_per_byte"] ?? 0) - 2.23) < 0.005)
        #expect(abs((every["bits_per_byte"] ?? 0) - 3.58) < 0.005)
        let forgetting = Self.methods.map { r[$0]?["bits_per_byte"] ?? 0 }
        #expect(zip(forgetting, [4.80, 5.23, 5.25]).allSatisfy { abs($0 - $1) < 0.005 }, "\(forgetting)")
    }

    /// "LoRA without lm_head gets nothing right and stops on none of the 100 ... forgets least
    /// (3.27)": the run the guide's target list minus lm_head makes, beside LoRA with it.
    @Test func loraWithoutTheHeadNeverStops() throws {
        let r = try results()
        let without = try #require(r["LoRA r=32 alpha=64, without lm_head"]), with = r["LoRA r=32 alpha=64"] ?? [:]
        #expect(without["stopped"] == 0 && without["all"] == 0 && without["answers"] == 100)
        #expect(abs((without["bits_per_byte"] ?? 0) - 3.27) < 0.005)
        #expect((without["bits_per_byte"] ?? 9) < (r[Self.everyToken]?["bits_per_byte"] ?? 0))
        // r x (in + out) per adapted layer, without lm_head's 32 x (128 + 2,050).
        #expect(without["trainable"] == (with["trainable"] ?? 0) - 32 * (128 + 2_050))
    }

    /// "the same mean loss to four digits ... 75% of the positions real, against 82% padded ... 16
    /// conversations of about 35 tokens": the first 20 steps of the full fine-tune, packed and padded.
    @Test func packingTrainsTheSameModelAndSavesNothingHere() throws {
        let t = try BookRun.csv("14-instruction-tuning", "packing.csv")
        let padded = try #require(t.row("padded")), packed = try #require(t.row("packed"))
        let (lossPadded, lossPacked) = (Double(padded["mean_loss"] ?? "") ?? 0, Double(packed["mean_loss"] ?? "") ?? 1)
        #expect(abs(lossPadded - lossPacked) <= 1e-4 * lossPadded, "\(lossPadded) vs \(lossPacked)")
        let (sharePadded, sharePacked) = (Double(padded["real_token_share"] ?? "") ?? 0, Double(packed["real_token_share"] ?? "") ?? 0)
        #expect(abs(sharePadded - 0.82) < 0.005 && abs(sharePacked - 0.751) < 0.005, "\(sharePadded), \(sharePacked)")
        let tokensPerConversation = (Double(padded["positions_per_step"] ?? "") ?? 0) * sharePadded / 16
        #expect(abs(tokensPerConversation - 35) < 1, "\(tokensPerConversation)")
    }

    /// The loss curves: the loss on every token starts lower and ends about twice the response-only
    /// loss (last 50 steps); QLoRA's curve is 0.04 from LoRA's on average.
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
        #expect(abs(gap - 0.04) < 0.005, "\(gap)")
    }

    /// "Recomputing cuts the peak by about a quarter for the full fine-tune (34.1 to 24.9 MiB) and by
    /// nearly 40% for LoRA and QLoRA"; "LoRA's peak without checkpointing is the higher one".
    @Test func checkpointingCutsThePeak() throws {
        let t = try BookRun.csv("14-instruction-tuning", "checkpointing.csv")
        let mib = 1024.0 * 1024
        var saved: [String: Double] = [:], without: [String: Double] = [:]
        for method in ["full", "lora", "qlora"] {
            let peaks = Dictionary(uniqueKeysWithValues: t.rows.filter { $0[0] == method }.map { ($0[1], Double($0[2]) ?? 0) })
            let (off, on) = (peaks["off"] ?? 0, peaks["on"] ?? .infinity)
            saved[method] = 1 - on / off
            without[method] = off
            if method == "full" { #expect(abs(off / mib - 34.1) < 0.05 && abs(on / mib - 24.9) < 0.05, "\(off), \(on)") }
        }
        #expect(abs((saved["full"] ?? 0) - 0.27) < 0.01, "\(saved)")
        #expect((0.37...0.40).contains(saved["lora"] ?? 0) && (0.37...0.40).contains(saved["qlora"] ?? 0), "\(saved)")
        #expect((without["lora"] ?? 0) > (without["full"] ?? 1))
    }

    /// "4.13 bits per weight ... the model in memory shrinks from 3.3 to 2.0 MiB" (the base's 2.5 MiB
    /// and the adapters' 0.8 for LoRA); AdamW's state 5.1 MiB (full) and 1.5 MiB (LoRA), a little
    /// more for QLoRA; LoRA trains 200,768 weights beside 667,392 frozen.
    @Test func theCostTable() throws {
        let r = try results()
        let mib = 1024.0 * 1024
        let lora = r["LoRA r=32 alpha=64"] ?? [:], qlora = r["QLoRA r=32 alpha=64"] ?? [:], full = r["full fine-tune"] ?? [:]
        #expect(abs((qlora["base_bits_per_weight"] ?? 0) - 4.13) < 0.005)
        #expect(abs((lora["model_bytes"] ?? 0) / mib - 3.3) < 0.05 && abs((qlora["model_bytes"] ?? 0) / mib - 2.0) < 0.05)
        #expect(abs((full["model_bytes"] ?? 0) / mib - 2.5) < 0.05)
        #expect(abs((full["optimizer_state_bytes"] ?? 0) / mib - 5.1) < 0.05 && abs((lora["optimizer_state_bytes"] ?? 0) / mib - 1.5) < 0.05)
        #expect((qlora["optimizer_state_bytes"] ?? 0) > (lora["optimizer_state_bytes"] ?? 0))
        #expect(lora["trainable"] == 200_768 && full["trainable"] == 667_392)
        // "LoRA's [peak] is higher than the full fine-tune's"; "padding wastes a fifth of each step"
        let peaks = try BookRun.csv("14-instruction-tuning", "checkpointing.csv").rows.filter { $0[1] == "off" }
            .reduce(into: [String: Double]()) { $0[$1[0]] = Double($1[2]) }
        #expect((peaks["lora"] ?? 0) > (peaks["full"] ?? 1))
        #expect(abs((full["real_token_share"] ?? 0) - 0.808) < 0.005)
    }
}
