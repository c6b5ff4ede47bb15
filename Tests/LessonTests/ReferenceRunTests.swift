import Foundation
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

    /// The number in the row of a lesson's final table (`| name | value |`) that starts with `name`.
    static func finalValue(_ table: String, _ name: String) -> Double? {
        let row = table.split(separator: "\n").first { $0.hasPrefix("| \(name)") }
        let cell = row?.split(separator: "|").last?.trimmingCharacters(in: .whitespaces) ?? ""
        return Double(cell.split(separator: " ").first.map(String.init) ?? "")
    }

    /// Chapter 13: "Ten times as many steps (`--max-steps 10000` ...) end at 1.96 bits per byte, 0.42
    /// below the floor, with the held-out loss still falling at the last evaluation".
    @Test func lesson13LongRun() throws {
        let final = try Self.text("reference/13-gpt-pretraining/long-run/final.txt")
        let bpb = try #require(Self.finalValue(final, "held-out bits per byte"))
        let floor = try #require(Self.finalValue(final, "bigram floor"))
        #expect(abs(bpb - 1.96) < 0.005, "\(bpb)")
        #expect(abs(floor - 2.38) < 0.005 && abs(floor - bpb - 0.42) < 0.005, "\(floor)")
        let curves = CSVTable(parsing: try Self.text("reference/13-gpt-pretraining/long-run/curves.csv"))
        #expect(curves.column("step")?.last == "10000")
        let heldOut = (curves.column("eval_bits_per_byte") ?? []).compactMap { Double($0) }
        #expect(heldOut.count == 21 && heldOut.last == heldOut.min())
    }

    /// Chapter 13: "With seeds 42 and 7 it ends at 2.41 and 2.42 bits per byte".
    @Test func lesson13InPyTorch() throws {
        let ends = try Self.pytorchEnds()
        #expect(ends.count == 2 && abs((ends[42] ?? 0) - 2.41) < 0.005 && abs((ends[7] ?? 0) - 2.42) < 0.005, "\(ends)")
    }

    /// The last held-out bits per byte of each seed in pytorch.csv (its step 1,000).
    static func pytorchEnds() throws -> [Int: Double] {
        let t = CSVTable(parsing: try text("reference/13-gpt-pretraining/pytorch.csv"))
        var ends: [Int: Double] = [:]
        for row in t.rows where row.count >= 4 && row[1] == "1000" { ends[Int(row[0]) ?? -1] = Double(row[3]) }
        return ends
    }

    /// Chapter 14: "The whole 300 steps packed ... get the same 62% of first words as padded, and 34%
    /// over all against 36%: three right answers out of 50 on the play instead of five."
    @Test func lesson14Packed() throws {
        let t = CSVTable(parsing: try Self.text("reference/14-instruction-tuning/packed-results.csv"))
        let row = try #require(t.rows.first { $0.first == "full fine-tune, packed" })
        let cell = Dictionary(uniqueKeysWithValues: zip(t.header, row).map { ($0, Double($1)) })
        #expect(cell["first_word"] == 0.62 && cell["all"] == 0.34 && cell["play"] == 0.06)
        #expect(cell["stopped"] == 99 && cell["answers"] == 100)
        #expect((cell["real_token_share"] ?? 0).map { $0 < 0.808 } ?? false)   // packed rows hold fewer real tokens here
    }
}
