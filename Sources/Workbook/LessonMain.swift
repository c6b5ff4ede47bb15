import ArgumentParser
import Foundation

/// The settings of a lesson: one struct in its `Lesson.swift`, Hugging Face names, defaults the
/// chapter's numbers were made with, and the rules that tie two fields together.
public protocol SeededSettings: Sendable {
    init()
    /// `--seed`: every random number of the run comes from it.
    var seed: Int { get set }
    /// Throws a `ValidationError` (see `check`) when two fields disagree, such as warm-up steps
    /// beyond the last step. Each field's own range is checked by its `LessonFlag`.
    func validate() throws
}

extension SeededSettings {
    public func validate() throws {}
}

/// What the entry point hands a lesson's `main.swift`: where to write, whether to print, and the
/// progress display that also stops the run at the first non-finite loss.
public struct LessonRun {
    public let out: OutputFolder
    public let quiet: Bool
    public let progress: LessonProgress
}

/// How a lesson executable starts. Its `main.swift` holds the flags and nothing else:
///
///     enum Main: LessonMain {
///         static let folder = "01-learning-curves"
///         static let abstract = "Train a small classifier step by step."
///         static let flags: [LessonFlag<Settings>] = [
///             LessonFlag("--learning-rate", \.learningRate, "Step size of plain SGD.", .positive),
///         ]
///         static func main(_ settings: Settings, _ lesson: LessonRun) throws {
///             try report(run(settings, progress: lesson.progress), to: lesson.out)
///         }
///     }
///     Main.main()
///
/// `main()` pins OpenBLAS to the kernels the chapters were measured with, reads the flags into
/// `Settings` (with the shared `--seed`, `--out`, `--quiet`, `--help`), validates them, and runs.
/// Every way to stop is one line: `error: ...` with status 2 for bad flags, status 1 for a failed
/// run (a non-finite loss among them), 130 for Ctrl-C.
public protocol LessonMain {
    associatedtype Settings: SeededSettings
    /// The folder under `Lessons/`, such as `"05-overfitting"`: it names the executable
    /// (`lesson-05-overfitting`) and the default output folder (`runs/05-overfitting`).
    static var folder: String { get }
    /// One sentence for the help screen.
    static var abstract: String { get }
    /// The lesson's own flags; `--seed`, `--out`, `--quiet` and `--help` are added to them.
    static var flags: [LessonFlag<Settings>] { get }
    /// Runs the lesson with validated settings and writes its report into `lesson.out`: the
    /// lesson module's `run(settings)` and `report(result, to:)`, nothing more.
    static func main(_ settings: Settings, _ lesson: LessonRun) throws
}

/// `--help`, thrown by the parser so that it stops like any other way out of parsing.
public struct HelpRequest: Error {
    public let screen: String
}

/// The flags every lesson has, after parsing: the settings and where the run goes.
public struct ParsedFlags<Settings> {
    public var settings: Settings
    public var out: String?
    public var quiet: Bool
}

extension LessonMain {
    public static var commandName: String { "lesson-\(folder)" }

    /// Runs the lesson with the program's arguments, then exits.
    public static func main() {
        OpenBLASPin.reexecIfNeeded()
        let parsed: ParsedFlags<Settings>
        do {
            parsed = try parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            stop(with: usageReport(for: error))
        }
        let path = parsed.out ?? Workbook.defaultOutputPath(lesson: folder)
        let interrupt = Interrupt.watch(command: commandName, folder: path)
        do {
            let out = try OutputFolder(path, quiet: parsed.quiet)
            let progress = LessonProgress(quiet: parsed.quiet, onNonFiniteLoss: { message in
                Terminal.endOpenLine()
                stop(with: ExitReport(standardError: "error: \(message)\n", status: ExitReport.runFailed))
            })
            try main(parsed.settings, LessonRun(out: out, quiet: parsed.quiet, progress: progress))
            progress.finish()
        } catch {
            stop(with: runReport(for: error))
        }
        Terminal.endOpenLine()
        interrupt.cancel()
    }

    /// What `main()` does when `arguments` cannot be parsed or validated, or nil when they can.
    public static func parseReport(_ arguments: [String]) -> ExitReport? {
        do {
            _ = try parse(arguments)
            return nil
        } catch {
            return usageReport(for: error)
        }
    }

    /// Reads the flags into settings and validates them; `--help` comes back as a `HelpRequest`.
    public static func parse(_ arguments: [String]) throws -> ParsedFlags<Settings> {
        var parsed = ParsedFlags(settings: Settings(), out: nil, quiet: false)
        var byName: [String: LessonFlag<Settings>] = [:]
        for flag in flags {
            byName[flag.name] = flag
            if let negation = flag.negation { byName[negation] = flag }
        }
        var i = 0
        while i < arguments.count {
            let word = arguments[i]
            i += 1
            if word == "--help" || word == "-h" { throw HelpRequest(screen: help()) }
            guard word.hasPrefix("--"), word.count > 2 else {
                throw ValidationError("unexpected argument '\(word)'")
            }
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            var inline = parts.count == 2 ? String(parts[1]) : nil
            func value(_ shown: String) throws -> String {
                if let text = inline { inline = nil; return text }
                guard i < arguments.count else { throw ValidationError("missing value for '\(name) \(shown)'") }
                i += 1
                return arguments[i - 1]
            }
            switch name {
            case "--seed":
                let text = try value("<seed>")
                guard let seed = Int(text) else { throw ValidationError("the value '\(text)' is invalid for '--seed <seed>'") }
                try atLeast(seed, 0, "--seed")
                parsed.settings.seed = seed
            case "--out":
                let text = try value("<dir>")
                try check(!text.isEmpty, "--out must name a folder (got an empty string)")
                parsed.out = text
            case "--quiet":
                parsed.quiet = true
            default:
                guard let flag = byName[name] else { throw ValidationError("unknown option '\(name)'") }
                if let shown = flag.valueName {
                    try flag.set(&parsed.settings, try value(shown))
                } else {
                    try flag.set(&parsed.settings, name == flag.name ? "on" : "off")
                }
            }
            if let inline { throw ValidationError("\(name) takes no value (got '\(inline)')") }
        }
        try parsed.settings.validate()
        return parsed
    }

    /// The help screen: every flag with its default (the settings' own) and what it accepts.
    public static func help() -> String {
        let defaults = Settings()
        var rows: [(String, String)] = flags.map { flag in
            let left = flag.valueName.map { "\(flag.name) \($0)" } ?? "\(flag.name), \(flag.negation!)"
            var notes = ["default: \(flag.current(defaults))"]
            if !flag.accepts.isEmpty { notes.append(flag.accepts) }
            return (left, "\(flag.help) (\(notes.joined(separator: "; ")))")
        }
        rows += [
            ("--seed <seed>", "Seed for every random number in the run; the same seed gives the same curve. (default: \(defaults.seed))"),
            ("--out <dir>", "Folder for the run's CSV files and named outputs. (default: \(Workbook.defaultOutputPath(lesson: folder)))"),
            ("--quiet", "Print nothing but errors: no progress bar, tables or plots."),
            ("-h, --help", "Show this help."),
        ]
        let lines = rows.map { "  \($0.0)\n        \($0.1)" }
        return """
            OVERVIEW: \(abstract)

            USAGE: \(commandName) [<options>]

            OPTIONS:
            \(lines.joined(separator: "\n"))
            """
    }

    /// Bad flags: `error: <message>` and the `--help` hint, status 2; `--help`: the screen, status 0.
    public static func usageReport(for error: any Error) -> ExitReport {
        if let help = error as? HelpRequest {
            return ExitReport(standardOutput: help.screen + "\n", status: 0)
        }
        return ExitReport(
            standardError: "error: \(Workbook.message(for: error))\ntry --help to see every option and its default\n",
            status: ExitReport.usageError)
    }

    /// A failed run: `error: <message>`, status 1; a rule found late (`ValidationError`) is still bad usage.
    public static func runReport(for error: any Error) -> ExitReport {
        if error is ValidationError { return usageReport(for: error) }
        return ExitReport(standardError: "error: \(Workbook.message(for: error))\n", status: ExitReport.runFailed)
    }

    private static func stop(with report: ExitReport) -> Never {
        if !report.standardOutput.isEmpty { Terminal.write(report.standardOutput) }
        if !report.standardError.isEmpty { Terminal.writeError(report.standardError) }
        Foundation.exit(report.status)
    }
}

/// OpenBLAS picks its kernels for the CPU when the library loads, before `main` runs, and on a
/// Cooper Lake it sums in another order than on the Haswell kernels the chapters were measured
/// with (lesson 06's perplexity 2.78 instead of 2.97). A plain `swift run lesson-...` gets the
/// chapters' numbers all the same: on x86-64 Linux, when `OPENBLAS_CORETYPE` is unset, the
/// lesson sets it to Haswell (and `OPENBLAS_NUM_THREADS` to 1 when unset) and starts itself again.
/// A value the learner set is left alone; other CPUs are left alone.
public enum OpenBLASPin {
    /// The variables to set before starting again, given the environment; empty when none.
    public static func missing(in environment: [String: String], x86Linux: Bool) -> [(name: String, value: String)] {
        var pins: [(name: String, value: String)] = []
        guard x86Linux else { return [] }
        if environment["OPENBLAS_CORETYPE"] == nil { pins.append(("OPENBLAS_CORETYPE", "Haswell")) }
        if environment["OPENBLAS_NUM_THREADS"] == nil { pins.append(("OPENBLAS_NUM_THREADS", "1")) }
        return pins
    }

    static var isX86Linux: Bool {
        #if os(Linux) && arch(x86_64)
        return true
        #else
        return false
        #endif
    }

    /// Sets what is missing and replaces the process by a fresh start of the same program; when
    /// that fails, the lesson runs on unpinned.
    public static func reexecIfNeeded() {
        let pins = missing(in: ProcessInfo.processInfo.environment, x86Linux: isX86Linux)
        guard !pins.isEmpty else { return }
        for pin in pins { setenv(pin.name, pin.value, 1) }
        #if os(Linux)
        let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", arguments)
        #endif
    }
}
