import Foundation

/// A runtime failure a learner can act on: what went wrong and what to try, in one line.
///
/// Throw it from a lesson's `run()`; the lesson's `main()` prints `error: <message>` and exits
/// with status 1. Example: `LessonError("loss became NaN at step 37 (learning rate 3.0); try a
/// lower --learning-rate")`.
public struct LessonError: Error, CustomStringConvertible, LocalizedError, Equatable, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
    public var errorDescription: String? { message }
}

/// The kit's namespace for things that are not a type of their own.
public enum Workbook {
    /// Where a lesson's run goes without `--out`: `runs/<lesson folder>`, e.g. `runs/05-overfitting`.
    ///
    /// Never the book's folder: `make book` runs every lesson itself with `--out book/build/<lesson>`,
    /// so a learner's run with other flags cannot change what the book shows.
    public static func defaultOutputPath(lesson folder: String) -> String { "runs/\(folder)" }

    /// Prints `error: <message>` on standard error and exits with status 1.
    ///
    /// For code paths outside a lesson's `run()` (inside `run()`, throw a `LessonError` instead).
    /// Exiting this way never prints a stack trace, unlike `fatalError`.
    public static func fail(_ message: String) -> Never {
        Terminal.writeError("error: \(message)")
        exit(1)
    }

    /// The one-line text of any error, as `error: ...` lines show it.
    ///
    /// Our own errors (and MiniTorch's) say what they mean in `description`; Foundation's file
    /// errors say it in `localizedDescription`. Line breaks are folded so the message stays one line.
    public static func message(for error: any Error) -> String {
        let foundationDomains = [NSCocoaErrorDomain, NSPOSIXErrorDomain, NSURLErrorDomain]
        let text: String
        if let error = error as? LessonError {
            text = error.message
        } else if let error = error as? LocalizedError, let description = error.errorDescription {
            text = description
        } else if foundationDomains.contains((error as NSError).domain) {
            text = error.localizedDescription
        } else {
            text = String(describing: error)   // `description`, when the error has one
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
