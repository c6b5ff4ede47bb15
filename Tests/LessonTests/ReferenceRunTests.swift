import Foundation
import GPTPretraining
import Testing
import Workbook

/// Runs too long for `make test` or `make book`, committed under reference/ by the commands in
/// mk/reference.mk: the chapters quote them, and these tests check every quote against the
/// files (so a file made again with other numbers fails here until the chapter follows it).
@Suite("Reference runs quoted by the chapters")
struct ReferenceRunTests {
    static func text(_ path: String) throws -> String {
        let url = BookRun.root.appendingPathComponent(path)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw BookRunMissing(description: "no \(url.path): it is committed; mk/reference.mk says which make target writes it")
        }
        return text
    }

    /// The first value in the row of a Markdown table (`| name | value | ... |`) that starts with `name`.
    static func cell(_ table: String, _ name: String) -> String? {
        let row = table.split(separator: "\n").first { $0.hasPrefix("| \(name)") }
        return row?.split(separator: "|").dropFirst().first?.trimmingCharacters(in: .whitespaces)
    }

    /// The number in the row of a lesson's final table (`| name | value |`) that starts with `name`.
    static func finalValue(_ table: String, _ name: String) -> Double? {
        Double(cell(table, name)?.split(separator: " ").first.map(String.init) ?? "")
    }

    /// Chapter 13: "Ten times as many (`--max-steps 16000`, 13 minutes on two cores) end at 1.94 bits
    /// per byte, 0.44 below the floor, with the held-out loss still falling at the last evaluation".
    @Test func lesson13LongRun() throws {
        let final = try Self.text("reference/13-gpt-pretraining/long-run/final.txt")
        let bpb = try #require(Self.finalValue(final, "held-out bits per byte"))
        let floor = try #require(Self.finalValue(final, "bigram floor"))
        #expect(abs(bpb - 1.94) < 0.005, "\(bpb)")
        #expect(abs(floor - 2.38) < 0.005 && abs(floor - bpb - 0.44) < 0.005, "\(floor)")
        #expect(final.contains("| training time") && final.contains("13m "), "13 minutes: \(final)")
        let curves = CSVTable(parsing: try Self.text("reference/13-gpt-pretraining/long-run/curves.csv"))
        #expect(curves.column("step")?.last == "16000")
        let heldOut = (curves.column("eval_bits_per_byte") ?? []).compactMap { Double($0) }
        #expect(heldOut.count == 21 && heldOut.last == heldOut.min())
    }

    /// Chapter 13's table of three depths ("Why two layers"): each row against the final and scale
    /// tables `make reference-13-sizes` kept. The steps are checked through the tokens per
    /// parameter (steps x 768 tokens / parameters).
    @Test func lesson13Sizes() throws {
        let rows: [(layers: Int, parameters: String, steps: Int, tokensPerParameter: String, step: String, time: String, bpb: Double)] = [
            (1, "468,864", 1900, "3.11", "29.0 ms", "1m 04s", 2.229),
            (2, "667,136", 1600, "1.84", "42.5 ms", "1m 18s", 2.262),
            (4, "1,063,680", 1150, "0.83", "61.1 ms", "1m 18s", 2.352),
        ]
        for row in rows {
            let text = try Self.text("reference/13-gpt-pretraining/sizes/\(row.layers)-layers.txt")
            func cell(_ name: String) -> String? { Self.cell(text, name) }
            #expect(Self.finalValue(text, "held-out bits per byte") == row.bpb, "\(row.layers) layers")
            #expect(cell("training time") == row.time && cell("median step") == row.step, "\(row.layers) layers")
            #expect(cell("parameters") == row.parameters && cell("tokens per parameter in this run") == row.tokensPerParameter)
            let parameters = Double(row.parameters.replacingOccurrences(of: ",", with: "")) ?? 0
            #expect(String(format: "%.2f", Double(row.steps * 768) / parameters) == row.tokensPerParameter, "\(row.layers) layers")
        }
        // "two end 0.12 below it": the default run, as the book's
        let two = try Self.text("reference/13-gpt-pretraining/sizes/2-layers.txt")
        #expect(abs((Self.finalValue(two, "bigram floor") ?? 0) - 2.262 - 0.12) < 0.005)
    }

    /// Chapter 13: "With seeds 42 and 7 it ends at 2.258 and 2.263 bits per byte".
    @Test func lesson13InPyTorch() throws {
        let ends = try Self.pytorchEnds()
        #expect(ends.count == 2 && abs((ends[42] ?? 0) - 2.258) < 0.0005 && abs((ends[7] ?? 0) - 2.263) < 0.0005, "\(ends)")
    }

    /// The held-out bits per byte of each seed in pytorch.csv at the default run's last step.
    static func pytorchEnds() throws -> [Int: Double] {
        let t = CSVTable(parsing: try text("reference/13-gpt-pretraining/pytorch.csv"))
        var ends: [Int: Double] = [:]
        for row in t.rows where row.count >= 4 && row[1] == "\(GPTPretraining.Settings().maxSteps)" { ends[Int(row[0]) ?? -1] = Double(row[3]) }
        return ends
    }

    /// Chapter 14: "The whole 300 steps packed ... get the same 66% of first words as padded, and 37%
    /// over all against 36%: four right answers out of 50 on the play instead of three."
    @Test func lesson14Packed() throws {
        let t = CSVTable(parsing: try Self.text("reference/14-instruction-tuning/packed-results.csv"))
        let row = try #require(t.rows.first { $0.first == "full fine-tune, packed" })
        let cell = Dictionary(uniqueKeysWithValues: zip(t.header, row).map { ($0, Double($1)) })
        #expect(cell["first_word"] == 0.66 && cell["all"] == 0.37 && cell["play"] == 0.08)
        #expect(cell["stopped"] == 100 && cell["answers"] == 100)
        #expect((cell["real_token_share"] ?? 0).map { $0 < 0.808 } ?? false)   // packed rows hold fewer real tokens here
    }
}
