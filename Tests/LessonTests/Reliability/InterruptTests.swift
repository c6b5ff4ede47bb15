import Foundation
import Testing

// Ctrl-C in the middle of a run: the lesson stops with status 130 and one line saying where its
// files are, and its output folder holds whole files only (no temporary files, every CSV
// complete).

/// A lesson in a long configuration, and the file whose appearance says it is well under way.
struct LongRun: Sendable, CustomTestStringConvertible {
    var lesson: String
    var arguments: [String]
    /// Interrupt once this file is in --out; nil: once --out exists (the run has started).
    var startedWhen: String?
    var testDescription: String { lesson }
}

@Suite struct InterruptTests {
    static let runs = [
        // The schedules are written first, then 10,000 steps of training take a minute.
        LongRun(lesson: "03-lr-schedules", arguments: ["--max-steps", "10000"], startedWhen: "schedules.csv"),
        // Pretraining at the default settings: nothing written yet when the interrupt comes.
        LongRun(lesson: "06-masked-language-modeling", arguments: [], startedWhen: nil),
    ]

    @Test(arguments: runs)
    func interruptLeavesWholeFiles(_ run: LongRun) async throws {
        let executable = try requireLessonExecutable(run.lesson)
        let scratch = scratchFolder("interrupt/\(run.lesson)")
        let out = scratch.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out.appendingPathComponent("cells"), withIntermediateDirectories: true)
        // Left by a run that was killed mid-write (no such process): removed on the way out.
        let stale = out.appendingPathComponent("cells/.old.txt.999999999.1.tmp")
        // A temporary file of a run that is still going (this test's own process): left alone.
        let live = out.appendingPathComponent(".other.csv.\(getpid()).2.tmp")
        try Data("half a ".utf8).write(to: stale)
        try Data("half a ".utf8).write(to: live)
        let marker = out.appendingPathComponent(run.startedWhen ?? "")

        let result = try await LessonProcess(executable, run.arguments + ["--out", "out"], scratch: scratch).run { child in
            // The presses come from a thread of their own: the test runner's cooperative pool has
            // one thread per core, and while other tests keep them busy a task waiting there could
            // wake only after a quick run had finished on its own.
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                Thread.detachNewThread {
                    pressCtrlC(child.process, once: marker, appears: run.startedWhen != nil)
                    done.resume()
                }
            }
        }

        let what = "lesson-\(run.lesson)"
        #expect(result.exitedNormally, "\(what) was killed by the signal instead of stopping: \(result.standardError)")
        #expect(result.status == 130, "\(what): status \(result.status): \(result.standardError)")
        #expect(result.crashText == nil, "\(what): \(result.standardError)")
        #expect(result.errorLines == [
            "interrupted: lesson-\(run.lesson) stopped; out holds the files written so far (complete ones only)",
        ])

        let left = try FileManager.default.subpathsOfDirectory(atPath: out.path)
        #expect(!FileManager.default.fileExists(atPath: stale.path), "a dead run's temporary file is still there")
        #expect(FileManager.default.fileExists(atPath: live.path), "a live run's temporary file was removed")
        let temporary = left.filter { $0.hasSuffix(".tmp") && !$0.hasSuffix(live.lastPathComponent) }
        #expect(temporary.isEmpty, "\(what) left temporary files: \(temporary)")
        if let startedWhen = run.startedWhen {
            #expect(left.contains(startedWhen), "\(what): \(startedWhen) is gone")
        }
        for name in left where name.hasSuffix(".csv") {
            let text = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
            #expect(csvIsComplete(text), "\(name) is not a complete CSV file")
        }
        for name in left where name.hasSuffix(".txt") {
            let text = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
            #expect(text.hasSuffix("\n"), "\(name) was cut off")
        }
    }
}

/// Waits until the run is under way (generously: the machine may be busy) and handles Ctrl-C,
/// then presses it, and again every 200 ms until the run stops: the kit ignores SIGINT a moment
/// before its dispatch source is registered, and a press in that moment is lost. Waiting longer
/// instead would let a quick run finish on its own first. Blocks the calling thread.
func pressCtrlC(_ process: Process, once marker: URL, appears: Bool) {
    let pid = process.processIdentifier
    let deadline = Date().addingTimeInterval(240)
    while Date() < deadline, process.isRunning {
        let started = !appears || FileManager.default.fileExists(atPath: marker.path)
        if started && handlesInterrupt(pid) { break }
        usleep(20_000)
    }
    while process.isRunning {
        kill(pid, SIGINT)
        usleep(200_000)
    }
}

/// Whether process `pid` has taken over SIGINT yet (before, the default action would kill it).
/// Linux lists caught and ignored signals in /proc/<pid>/status as hex masks (`SigCgt:`,
/// `SigIgn:`); the lesson kit ignores SIGINT and then catches it through a dispatch source.
/// Elsewhere, assume so.
func handlesInterrupt(_ pid: pid_t) -> Bool {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return true }
    let bit = UInt64(1) << UInt64(SIGINT - 1)
    return status.split(separator: "\n").contains { line in
        guard line.hasPrefix("SigCgt:") || line.hasPrefix("SigIgn:"),
            let mask = UInt64(line.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return false }
        return mask & bit != 0
    }
}

/// A header, at least one row, every row with the header's number of fields, a final newline.
func csvIsComplete(_ text: String) -> Bool {
    guard text.hasSuffix("\n") else { return false }
    let rows = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(csvFields)
    guard rows.count >= 2, let width = rows.first?.count, width > 0 else { return false }
    return rows.allSatisfy { $0.count == width }
}

/// The fields of one CSV line, with RFC 4180 quoting ("a, b" is one field; "" is a quote).
func csvFields(_ line: Substring) -> [String] {
    var fields: [String] = [], field = "", quoted = false
    var characters = line.makeIterator()
    while let c = characters.next() {
        switch (c, quoted) {
        case ("\"", true): quoted = false
        case ("\"", false): quoted = true   // opening quote, or the second of "" inside
        case (",", false): fields.append(field); field = ""
        default: field.append(c)
        }
    }
    fields.append(field)
    return fields
}
