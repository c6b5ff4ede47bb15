/// A problem the book author can act on, as one line: what was wrong and where.
///
/// The `book` tool prints `description` and exits non-zero, so a broken include reads like
/// `Lessons/03-lr-schedules/chapter.md: include Schedules.swift:warmup: no anchor 'warmup' in ...`
/// rather than a stack trace.
public struct BookError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    /// The same error, with the file it happened in put in front (`chapter.md: ...`).
    func located(in file: String) -> BookError {
        BookError("\(file): \(description)")
    }
}
