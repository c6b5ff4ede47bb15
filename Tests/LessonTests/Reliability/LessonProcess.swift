import Foundation
import Testing

// Running the real lesson executables as child processes, the way a learner runs them: their
// exit status, what they print, and the files they leave in --out.

/// Where the package is: this file is Tests/LessonTests/Reliability/LessonProcess.swift.
let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// Every lesson folder that has a main.swift, in course order.
func presentLessons() -> [String] {
    let folder = packageRoot.appendingPathComponent("Lessons")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("\($0)/main.swift").path)
    }.sorted()
}

/// The folder the test binary was built into, which holds the lesson executables too
/// (`swift test` builds every product: .build/<triple>/debug/lesson-01-...).
let productsFolder: URL? = {
    let me = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
    // On macOS the test binary sits inside a bundle (X.xctest/Contents/MacOS/X): walk up.
    var folder = me.deletingLastPathComponent()
    for _ in 0..<4 {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        if names.contains(where: { $0.hasPrefix("lesson-") }) { return folder }
        folder.deleteLastPathComponent()
    }
    return nil
}()

/// The executable of a lesson, or nil (with a notice) when this build did not make it.
func lessonExecutable(_ lesson: String) -> URL? {
    guard let folder = productsFolder else { return nil }
    let url = folder.appendingPathComponent("lesson-\(lesson)")
    return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
}

/// The executable of `lesson`, or an error that fails the test: a suite that skipped a missing
/// executable would pass without having run anything.
func requireLessonExecutable(_ lesson: String) throws -> URL {
    if let url = lessonExecutable(lesson) { return url }
    throw MissingLessonExecutable(lesson: lesson)
}

struct MissingLessonExecutable: Error, CustomStringConvertible {
    let lesson: String
    var description: String {
        "lesson-\(lesson) is not in \(productsFolder?.path ?? "the build folder"): build first (`make build`, which builds every lesson in the tests' configuration), then run the tests again"
    }
}

/// What a finished child process did.
struct LessonRunResult: Sendable {
    var status: Int32
    /// False when a signal ended it (a trap, a crash, our timeout).
    var exitedNormally: Bool
    var standardOutput: String
    var standardError: String
    var timedOut: Bool
    /// Standard error, line by line (a blank line counts).
    var errorLines: [String] {
        var lines = standardError.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Text a crash leaves behind; a lesson must never print any of it.
    static let crashMarkers = ["Fatal error", "Stack dump", "Illegal instruction", "Segmentation fault",
                               "backtrace", "Backtrace", "Program crashed", "Thread 0", "Current stack trace"]
    var crashText: String? {
        Self.crashMarkers.first { standardError.contains($0) || standardOutput.contains($0) }
    }
}

/// At most a few lessons run at once: the tests run in parallel and the machine may have two cores.
actor ProcessSlots {
    static let shared = ProcessSlots(ProcessInfo.processInfo.activeProcessorCount >= 4 ? 4 : 2)
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    init(_ count: Int) { free = count }

    func acquire() async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

/// A lesson started as a child process, its output going to files in a scratch folder.
final class LessonProcess: @unchecked Sendable {
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL

    /// OpenBLAS on one thread: the same sums in the same order on every run, and no fight for
    /// the cores with the test runner.
    static let environment: [String: String] = {
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_NUM_THREADS"] = "1"
        // Lessons on real text (12 on) find `make data`'s corpus from any working folder.
        if env["SHAKESPEARE_DIR"] == nil { env["SHAKESPEARE_DIR"] = packageRoot.appendingPathComponent("data/shakespeare").path }
        return env
    }()

    init(_ executable: URL, _ arguments: [String], scratch: URL,
         environment: [String: String] = LessonProcess.environment) throws {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        stdoutURL = scratch.appendingPathComponent("stdout.txt")
        stderrURL = scratch.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = scratch
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
    }

    /// Starts the process and waits for it, for at most `timeout` seconds (then kills it).
    func run(timeout: Double = 300, whileRunning: (@Sendable (LessonProcess) async -> Void)? = nil) async throws -> LessonRunResult {
        await ProcessSlots.shared.acquire()
        defer { Task { await ProcessSlots.shared.release() } }
        let finished = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in finished.continuation.yield(); finished.continuation.finish() }
        try process.run()
        let pid = process.processIdentifier
        let watchdog = Task {
            try await Task.sleep(for: .seconds(timeout))
            kill(pid, SIGKILL)
            return true
        }
        if let whileRunning { await whileRunning(self) }
        for await _ in finished.stream {}
        process.waitUntilExit()
        watchdog.cancel()
        let timedOut = (try? await watchdog.value) ?? false
        return LessonRunResult(
            status: process.terminationStatus,
            exitedNormally: process.terminationReason == .exit,
            standardOutput: (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "",
            timedOut: timedOut)
    }
}

/// This test process's scratch folders live under /tmp/lesson-reliability-<pid>; the folders of
/// earlier test processes that are gone are removed the first time it is needed.
let scratchRoot: URL = {
    let temporary = FileManager.default.temporaryDirectory
    let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
    for name in names where name.hasPrefix("lesson-reliability-") {
        if let pid = pid_t(name.dropFirst("lesson-reliability-".count)), pid != getpid(),
            kill(pid, 0) != 0, errno == ESRCH
        {
            try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
        }
    }
    return temporary.appendingPathComponent("lesson-reliability-\(getpid())")
}()

/// A fresh, empty scratch folder for one test case.
func scratchFolder(_ name: String) -> URL {
    let url = scratchRoot.appendingPathComponent(name)
    try? FileManager.default.removeItem(at: url)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
