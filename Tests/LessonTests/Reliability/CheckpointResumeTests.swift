import Foundation
import Testing

// Checkpoint and resume from the command line, the way a learner does it: lesson 06 run
// straight, run again with --save-steps, then continued from a checkpoint by a fresh process
// with --resume-from-checkpoint; the files it writes must be the straight run's, byte for byte.

/// A short lesson-06 run that still writes every file: 60 updates, a metrics row every 10, a
/// one-epoch masking comparison. A few seconds in release.
let resumeQuick = ["--max-steps", "60", "--warmup-steps", "10", "--eval-steps", "10", "--comparison-epochs", "1", "--quiet"]
let resumeLesson = "06-masked-language-modeling"

/// The files of a lesson-06 run that must not depend on how it got there: every CSV, the model,
/// the vocabulary and every cell but the summary (which states the wall time).
func comparableFiles(_ out: URL) -> [String] {
    let names = (try? FileManager.default.subpathsOfDirectory(atPath: out.path)) ?? []
    return names.filter { name in
        !name.hasPrefix("checkpoint-") && name != "cells/summary.txt"
            && [".csv", ".safetensors", ".txt"].contains { name.hasSuffix($0) }
    }.sorted()
}

/// Expects the two output folders to hold the same comparable files with the same bytes.
func expectSameFiles(_ a: URL, _ b: URL, _ what: String) throws {
    let names = comparableFiles(a)
    #expect(names.contains("metrics.csv") && names.contains("model/model.safetensors"), "\(what): \(names)")
    #expect(names == comparableFiles(b), "\(what): different files")
    for name in names {
        let x = try Data(contentsOf: a.appendingPathComponent(name))
        let y = try? Data(contentsOf: b.appendingPathComponent(name))
        #expect(x == y, "\(what): \(name) differs")
    }
}

/// The checkpoint folders (`checkpoint-<step>`) and anything hidden left in `out`.
func checkpointNames(_ out: URL) -> (checkpoints: [String], hidden: [String]) {
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).sorted()
    let checkpoints = names.filter { $0.hasPrefix("checkpoint-") }
        .sorted { Int($0.dropFirst(11)) ?? 0 < Int($1.dropFirst(11)) ?? 0 }
    return (checkpoints, names.filter { $0.hasPrefix(".") })
}

@Suite struct CheckpointResumeTests {
    /// Runs lesson 06 in a fresh scratch folder `name` with `arguments` (and `--out out`);
    /// returns that --out. Fails when the build has no lesson 06.
    static func run(_ name: String, _ arguments: [String], quick: [String] = resumeQuick) async throws -> URL {
        let executable = try requireLessonExecutable(resumeLesson)
        let scratch = scratchFolder("resume/\(name)")
        let result = try await LessonProcess(executable, quick + arguments + ["--out", "out"], scratch: scratch).run(timeout: 300)
        #expect(result.status == 0 && result.exitedNormally, "\(name): \(arguments.joined(separator: " ")): \(result.standardError)")
        return scratch.appendingPathComponent("out")
    }

    /// Straight, with --save-steps 20, and then resumed from checkpoint-20 and checkpoint-40 by
    /// new processes: the same metrics.csv, masking.csv, model.safetensors and cells.
    @Test func resumedRunWritesTheStraightRunsFiles() async throws {
        async let straightRun = Self.run("straight", [])
        async let savingRun = Self.run("saving", ["--save-steps", "20"])
        let (straight, saving) = (try await straightRun, try await savingRun)
        try expectSameFiles(straight, saving, "--save-steps 20")
        #expect(checkpointNames(saving).checkpoints == ["checkpoint-20", "checkpoint-40", "checkpoint-60"])
        #expect(checkpointNames(saving).hidden.isEmpty, "temporary files left: \(checkpointNames(saving).hidden)")
        for name in ["checkpoint-20", "checkpoint-40", "checkpoint-60"] {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: saving.appendingPathComponent(name).path)) ?? []
            #expect(files.sorted() == ["model.safetensors", "optimizer.safetensors", "trainer_state.json"], "\(name): \(files)")
        }

        // A fresh process, its own --out, the checkpoint by path (mid-epoch: 113 batches an epoch).
        let middle = saving.appendingPathComponent("checkpoint-20").path
        async let fromPath = Self.run("from-20", ["--resume-from-checkpoint", middle])
        // `latest` in a folder holding copies of checkpoint-20 and checkpoint-40 picks 40.
        let latestScratch = scratchFolder("resume/latest-seed")
        let latestOut = latestScratch.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: latestOut, withIntermediateDirectories: true)
        for name in ["checkpoint-20", "checkpoint-40"] {
            try FileManager.default.copyItem(at: saving.appendingPathComponent(name), to: latestOut.appendingPathComponent(name))
        }
        let executable = try requireLessonExecutable(resumeLesson)
        let arguments = resumeQuick.filter { $0 != "--quiet" } + ["--resume-from-checkpoint", "latest", "--out", "out"]
        async let fromLatest = LessonProcess(executable, arguments, scratch: latestScratch).run(timeout: 300)
        let resumed = try await fromPath
        try expectSameFiles(straight, resumed, "resumed from checkpoint-20")
        let latest = try await fromLatest
        #expect(latest.status == 0, "\(latest.standardError)")
        #expect(latest.standardOutput.hasPrefix("resuming the pretraining from out/checkpoint-40\n"))
        try expectSameFiles(straight, latestOut, "resumed from latest (checkpoint-40)")
    }

    /// --save-total-limit 2 keeps the two newest; the last update (55) is saved too.
    @Test func saveTotalLimitKeepsTheNewest() async throws {
        let arguments = ["--max-steps", "55", "--save-steps", "10", "--save-total-limit", "2"]
        let out = try await Self.run("limit", arguments)
        let (checkpoints, hidden) = checkpointNames(out)
        #expect(checkpoints == ["checkpoint-50", "checkpoint-55"])
        #expect(hidden.isEmpty, "temporary folders left: \(hidden)")
    }

    /// Damaged checkpoints and one from other flags: status 1, one line, no trap.
    @Test func damagedCheckpointsGetOneLine() async throws {
        let saving = try await Self.run("to-damage", ["--save-steps", "20"])
        let good = saving.appendingPathComponent("checkpoint-20")
        func damaged(_ tag: String, _ change: (URL) throws -> Void) throws -> String {
            let url = saving.deletingLastPathComponent().appendingPathComponent(tag)
            try? FileManager.default.removeItem(at: url)
            try FileManager.default.copyItem(at: good, to: url)
            try change(url)
            return url.path
        }
        let truncatedState = try damaged("truncated-state") { url in
            let file = url.appendingPathComponent("trainer_state.json")
            try Data(try Data(contentsOf: file).prefix(200)).write(to: file)
        }
        let truncatedModel = try damaged("truncated-model") { url in
            let file = url.appendingPathComponent("model.safetensors")
            try Data(try Data(contentsOf: file).dropLast(100)).write(to: file)
        }
        let noOptimizer = try damaged("no-optimizer") { url in
            try FileManager.default.removeItem(at: url.appendingPathComponent("optimizer.safetensors"))
        }
        let flag = "error: --resume-from-checkpoint"
        let rows: [BadInput] = [
            BadInput(["--resume-from-checkpoint", truncatedState], 1,
                     "\(flag) \(truncatedState): trainer_state.json is damaged: not valid JSON"),
            BadInput(["--resume-from-checkpoint", truncatedModel], 1, startsWith: "\(flag) \(truncatedModel): model.safetensors: "),
            BadInput(["--resume-from-checkpoint", noOptimizer], 1, "\(flag) \(noOptimizer): optimizer.safetensors: cannot read: no such file"),
            BadInput(["--resume-from-checkpoint", good.path, "--learning-rate", "0.01"], 1,
                     "\(flag) \(good.path): was written with --learning-rate 0.003, this run has 0.01; resume with the same flags"),
            BadInput(["--resume-from-checkpoint", good.path, "--max-steps", "80"], 1,
                     "\(flag) \(good.path): was written with --max-steps 60, this run has 80; resume with the same flags"),
        ]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, row) in rows.enumerated() {
                group.addTask {
                    let executable = try requireLessonExecutable(resumeLesson)
                    let scratch = scratchFolder("resume/damaged-\(index)")
                    let result = try await LessonProcess(executable, resumeQuick + row.arguments + ["--out", "out"], scratch: scratch)
                        .run(timeout: 300)
                    BadInputCatalogueTests.check(result, row, lesson: resumeLesson)
                }
            }
            try await group.waitForAll()
        }
    }

    /// The real thing: Ctrl-C while it saves every 10 updates, then `--resume-from-checkpoint
    /// latest` in a new process finishes the run with the straight run's files. Nothing half
    /// written is left behind, and every checkpoint there is complete.
    @Test func interruptedRunResumesFromLatest() async throws {
        let executable = try requireLessonExecutable(resumeLesson)
        let long = ["--max-steps", "600", "--warmup-steps", "10", "--eval-steps", "50", "--comparison-epochs", "1", "--quiet"]
        async let straightRun = Self.run("long-straight", [], quick: long)

        let scratch = scratchFolder("resume/interrupted")
        let out = scratch.appendingPathComponent("out")
        let marker = out.appendingPathComponent("checkpoint-30")
        let interrupted = try await LessonProcess(executable, long + ["--save-steps", "10", "--out", "out"], scratch: scratch).run { child in
            // From a thread of its own, as in InterruptTests: the cooperative pool may be busy.
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                Thread.detachNewThread {
                    pressCtrlC(child.process, once: marker, appears: true)
                    done.resume()
                }
            }
        }
        // 130 when the Ctrl-C came in time; 0 if the machine was so fast that the run had ended.
        #expect(interrupted.exitedNormally && [130, 0].contains(interrupted.status), "\(interrupted.standardError)")
        #expect(interrupted.crashText == nil)
        let (checkpoints, hidden) = checkpointNames(out)
        #expect(hidden.isEmpty, "left after Ctrl-C: \(hidden)")
        #expect(checkpoints.count >= 3, "\(checkpoints)")
        for name in checkpoints {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent(name).path)) ?? []
            #expect(files.sorted() == ["model.safetensors", "optimizer.safetensors", "trainer_state.json"], "\(name): \(files)")
        }

        let resumed = try await LessonProcess(executable, long + ["--save-steps", "10", "--resume-from-checkpoint", "latest", "--out", "out"],
                                              scratch: scratch).run(timeout: 300)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let straight = try await straightRun
        try expectSameFiles(straight, out, "interrupted after \(checkpoints.last ?? "nothing"), resumed from latest")
    }
}
