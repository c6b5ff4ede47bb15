import ArgumentParser
import Foundation

/// How a lesson executable starts: parse the flags, run, and stop with a message a learner can act on.
///
/// A lesson is an ArgumentParser command with its own options in Hugging Face's words and the
/// shared `LessonOptions`. Its `main.swift` declares the command and calls `main()`:
///
///     struct Overfitting: LessonCommand {
///         static let lessonFolder = "05-overfitting"
///         @OptionGroup var options: LessonOptions
///         @Option var learningRate: Double = 1e-2
///         func validate() throws { try positive(learningRate, "--learning-rate") }
///         func run() throws { ... }
///     }
///     Overfitting.main()
///
/// (A file named main.swift holds top-level code, so it calls `main()` itself instead of `@main`.)
///
/// Compared with a plain `ParsableCommand`, `main()` here keeps errors to one line:
/// - a bad flag value prints `error: --per-device-train-batch-size must be at least 1 (got 0)`
///   and a hint to try `--help`, then exits with status 2 (not ArgumentParser's usage screen and 64);
/// - an error thrown from `run()` prints `error: <message>` and exits with status 1;
/// - `--help` prints the help screen and exits with status 0.
public protocol LessonCommand: ParsableCommand {
    /// The lesson's folder under `Lessons/`, such as `"05-overfitting"`. It names the executable
    /// (`lesson-05-overfitting`) and the default output folder (`runs/05-overfitting`).
    static var lessonFolder: String { get }

    /// The shared options; declare them as `@OptionGroup var options: LessonOptions`.
    var options: LessonOptions { get }
}

extension LessonCommand {
    /// `lesson-<folder>` as the command name. A lesson that wants an abstract in its help screen
    /// writes `static let configuration = lessonConfiguration(abstract: "...")`.
    public static var configuration: CommandConfiguration {
        lessonConfiguration()
    }

    public static func lessonConfiguration(abstract: String = "", discussion: String = "")
        -> CommandConfiguration
    {
        CommandConfiguration(
            commandName: "lesson-\(lessonFolder)", abstract: abstract, discussion: discussion)
    }

    /// Where a run goes without `--out`: `runs/<lesson folder>`.
    public static var defaultOutputPath: String { Workbook.defaultOutputPath(lesson: lessonFolder) }

    /// `--out` if given, otherwise `runs/<lesson folder>`.
    public var outputPath: String { options.out ?? Self.defaultOutputPath }

    /// Creates the output folder (`--out`) and returns it, ready for CSV files and named outputs.
    public func outputFolder() throws -> OutputFolder {
        try OutputFolder(outputPath, quiet: options.quiet)
    }
}

// MARK: - Starting and stopping

extension LessonCommand {
    /// Runs the lesson with the program's command-line arguments.
    public static func main() {
        main(nil)
    }

    /// Runs the lesson with `arguments` (or the program's own when `nil`), then exits.
    public static func main(_ arguments: [String]?) {
        OpenBLASPin.reexecIfNeeded()
        var lesson: Self
        do {
            lesson = try parseLesson(arguments)
        } catch {
            stop(with: usageReport(for: error))
        }
        // Ctrl-C from here on stops with one line and status 130, leaving whole files only.
        let interrupt = Interrupt.watch(command: configuration.commandName ?? "lesson", folder: lesson.outputPath)
        do {
            try lesson.run()
        } catch {
            stop(with: runReport(for: error))
        }
        Terminal.endOpenLine()
        interrupt.cancel()
    }

    /// What `main()` does when `arguments` cannot be parsed or validated, or `nil` when they can.
    /// Tests use it to check messages and exit statuses without starting a process.
    public static func parseReport(_ arguments: [String]) -> ExitReport? {
        do {
            _ = try parseLesson(arguments)
            return nil
        } catch {
            return usageReport(for: error)
        }
    }

    /// Parses and validates the flags. `--help` comes back from the parser as a separate help
    /// command whose `run()` throws the help request, so it is run here and ends up in the catch.
    private static func parseLesson(_ arguments: [String]?) throws -> Self {
        let arguments = joiningNegativeValues(arguments ?? Array(CommandLine.arguments.dropFirst()))
        var command = try parseAsRoot(arguments)
        if let lesson = command as? Self { return lesson }
        try command.run()
        throw ExitCode.success
    }

    /// `--num-train-epochs -1` as `--num-train-epochs=-1`. The parser reads a word that starts
    /// with a dash as the next option, so it would complain of a missing value; joined, the value
    /// reaches `validate()`, which says what is wrong with it (`must be at least 1 (got -1)`).
    static func joiningNegativeValues(_ arguments: [String]) -> [String] {
        var joined: [String] = []
        var i = 0
        while i < arguments.count {
            let word = arguments[i]
            if word == "--" { return joined + arguments[i...] }   // the rest is not options
            if word.hasPrefix("--"), word.count > 2, !word.contains("="), i + 1 < arguments.count,
                arguments[i + 1].hasPrefix("-"), Double(arguments[i + 1]) != nil
            {
                joined.append("\(word)=\(arguments[i + 1])")
                i += 2
            } else {
                joined.append(word)
                i += 1
            }
        }
        return joined
    }

    /// The report for an error thrown while parsing flags or in `validate()`: one `error:` line and
    /// one hint line with status 2, or the help screen with status 0 for `--help`.
    public static func usageReport(for error: any Error) -> ExitReport {
        if let code = error as? ExitCode {
            return ExitReport(status: code.rawValue)
        }
        if exitCode(for: error) == .success {   // --help, or a CleanExit
            return ExitReport(standardOutput: fullMessage(for: error) + "\n", status: 0)
        }
        let message = oneLine(message(for: error))
        return ExitReport(
            standardError: "error: \(message)\ntry --help to see every option and its default\n",
            status: ExitReport.usageError)
    }

    /// The report for an error thrown from `run()`: `error: <message>` with status 1.
    /// A `ValidationError` found late still means bad flags, so it gets status 2.
    public static func runReport(for error: any Error) -> ExitReport {
        switch error {
        case let code as ExitCode:
            return ExitReport(status: code.rawValue)
        case is CleanExit, is ValidationError:
            return usageReport(for: error)
        default:
            return ExitReport(
                standardError: "error: \(Workbook.message(for: error))\n",
                status: ExitReport.runFailed)
        }
    }

    private static func stop(with report: ExitReport) -> Never {
        if !report.standardOutput.isEmpty { Terminal.write(report.standardOutput) }
        if !report.standardError.isEmpty { Terminal.writeError(report.standardError) }
        Foundation.exit(report.status)
    }

    /// ArgumentParser's messages start with a capital ("Unknown option '--foo'"); ours are
    /// lower case after `error:`. Line breaks fold into spaces so the message stays on one line.
    private static func oneLine(_ message: String) -> String {
        let folded = message.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
        guard let first = folded.first, first.isUppercase,
            folded.dropFirst().first?.isLowercase ?? false
        else { return folded }
        return first.lowercased() + folded.dropFirst()
    }
}
