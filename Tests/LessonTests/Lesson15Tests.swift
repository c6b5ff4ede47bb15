import Foundation
import Testing
@testable import DataParallel

// Lesson 15's claims, from the real executable started as a learner starts it: it re-launches
// itself under mpirun with 2 ranks (--oversubscribe; --allow-run-as-root when root runs the
// tests, as in CI). One short run is shared by the tests of its numbers; the faults run on their own.

/// Reads checks.csv: quantity -> value.
func checks(_ folder: URL) throws -> [String: String] {
    let text = try String(contentsOf: folder.appendingPathComponent("checks.csv"), encoding: .utf8)
    var values: [String: String] = [:]
    for line in text.split(separator: "\n").dropFirst() {
        let fields = csvFields(line)
        if fields.count == 2 { values[fields[0]] = fields[1] }
    }
    return values
}

@Suite("Lesson 15: data parallel on MPI", .serialized)
struct Lesson15Tests {
    /// Two ranks, 6 bit-for-bit steps; the learning-rate runs are the determinism test's.
    static let quick = ["--nproc-per-node", "2", "--equivalence-steps", "6", "--skip-learning-rates", "--per-device-train-batch-size", "4",
                        "--quiet", "--out", "out", "--timeout", "120"]

    static let run = Task<(LessonRunResult, URL), any Error> {
        let executable = try requireLessonExecutable("15-data-parallel")
        let scratch = scratchFolder("lesson15/quick")
        let result = try await LessonProcess(executable, quick, scratch: scratch).run(timeout: 180)
        return (result, scratch.appendingPathComponent("out"))
    }

    static func values() async throws -> [String: String] {
        let (result, out) = try await run.value
        try #require(result.status == 0, "the 2-rank run failed: \(result.standardError)")
        return try checks(out)
    }

    @Test func twoRanksRanUnderMPI() async throws {
        let v = try await Self.values()
        #expect(v["world_size"] == "2")
    }

    /// DDP's promise: after N steps every rank holds the same weights, bit for bit, and they are
    /// the weights of one process accumulating the same micro-batches in the same order.
    @Test func ranksAreBitIdenticalAndEqualOneProcessAccumulation() async throws {
        let v = try await Self.values()
        #expect(v["ranks_identical"] == "true")
        #expect(v["accumulation_identical"] == "true", "largest difference \(v["accumulation_max_difference"] ?? "?")")
    }

    @Test func ringAllReduceAndZeroGiveTheSameBits() async throws {
        let v = try await Self.values()
        #expect(v["ring_identical"] == "true")
        #expect(v["zero_identical"] == "true")
    }

    /// The ring sends 2(N-1)/N of the gradient bytes per rank: with 2 ranks, the gradients' size
    /// (a few bytes more: each bucket's chunks are rounded up).
    @Test func ringBytesMatchTheFormula() async throws {
        let v = try await Self.values()
        let sent = try #require(Double(v["ring_bytes_sent_per_step"] ?? "")), formula = try #require(Double(v["ring_formula_bytes"] ?? ""))
        #expect(formula == Double(try #require(Int(v["gradient_bytes"] ?? ""))))   // 2 (2 - 1) / 2 = 1
        #expect(v["gradient_bytes"] == "2668544")   // "2.7 MB of gradients": lesson 13's GPT, 667,136 floats
        #expect(sent >= formula && sent - formula < 64, "sent \(sent), formula \(formula)")
    }

    /// ZeRO-1 keeps half of AdamW's state on each of 2 ranks.
    @Test func zeroHalvesTheOptimizerState() async throws {
        let v = try await Self.values()
        let full = try #require(Int(v["full_state_bytes"] ?? "")), zero = try #require(Int(v["zero_state_bytes"] ?? ""))
        #expect(full == 2 * (try #require(Int(v["gradient_bytes"] ?? ""))))   // exp_avg + exp_avg_sq
        #expect(zero == full / 2)
    }

    /// Unequal token counts: the mean of per-rank means is a different gradient (more than a tenth
    /// off: 24% here, 15% in the book's run); dividing by the global token count gives the
    /// one-process gradient to float rounding.
    @Test func globalTokenCountFixesTheNormalisationTrap() async throws {
        let v = try await Self.values()
        let trap = try #require(Double(v["trap_gradient_error"] ?? "")), fix = try #require(Double(v["fix_gradient_error"] ?? ""))
        let counts = (v["tokens_per_rank"] ?? "").split(separator: " ").compactMap { Int($0) }
        #expect(counts.count == 2 && counts[0] < counts[1])
        #expect(trap > 0.1, "trap error \(trap)")
        #expect(fix < 1e-5, "fix error \(fix)")
        #expect(abs(Double(v["one_process_loss"]!)! - Double(v["mean_of_means_loss"]!)!) > 1e-4)
    }

    /// A rank that dies: one line naming the rank, status 1, and the other rank does not hang.
    @Test func aDeadRankStopsTheRunWithOneLine() async throws {
        let executable = try requireLessonExecutable("15-data-parallel")
        let process = try LessonProcess(executable, Self.quick, scratch: scratchFolder("lesson15/die"))
        process.process.environment?["DATA_PARALLEL_FAULT"] = "die:1"
        let result = try await process.run(timeout: 120)
        #expect(!result.timedOut && result.exitedNormally && result.status == 1)
        #expect(result.errorLines.count == 1 && result.errorLines[0].hasPrefix("error: a rank died: process rank 1"), "\(result.errorLines)")
        #expect(result.crashText == nil)
    }

    /// A rank stuck forever: the launcher's --timeout stops every rank and says so in one line.
    @Test func aStuckRankIsStoppedByTheTimeout() async throws {
        let executable = try requireLessonExecutable("15-data-parallel")
        var arguments = Self.quick
        arguments[arguments.count - 1] = "6"   // --timeout 6
        let process = try LessonProcess(executable, arguments, scratch: scratchFolder("lesson15/hang"))
        process.process.environment?["DATA_PARALLEL_FAULT"] = "hang:1"
        let result = try await process.run(timeout: 60)
        #expect(!result.timedOut && result.status == 1)
        #expect(result.errorLines == ["error: the 2 ranks did not finish within 6 s and were stopped (a rank stuck in a collective waits for the others forever); raise --timeout if the run is just long"])
    }

    /// Without mpirun on the PATH: one line saying what to install, or to run one process.
    @Test func noMPIRunSaysWhatToInstall() async throws {
        let executable = try requireLessonExecutable("15-data-parallel")
        let process = try LessonProcess(executable, Self.quick, scratch: scratchFolder("lesson15/no-mpirun"))
        process.process.environment?["PATH"] = "/nonexistent"
        let result = try await process.run(timeout: 60)
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1 && result.errorLines[0].hasPrefix("error: mpirun was not found on the PATH"), "\(result.errorLines)")
    }
}
