import Foundation
import Testing
import Workbook

/// The book's own runs (book/build/NN-slug: every lesson at its defaults, run by `make book`), read
/// by the tests of what only a default run shows: a lesson whose default run is too long to
/// repeat inside `swift test` is checked on the run the book already made. `make book-check` (in
/// `make test`, after the book) runs these suites with BOOK_RUNS=1; a plain `swift test` has not
/// built the book, so it lists them as skipped (never as passed).
enum BookRun {
    static let enabled = ProcessInfo.processInfo.environment["BOOK_RUNS"] != nil
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `file` of the book's run of `lesson`; a missing file is an error that says what to run.
    static func text(_ lesson: String, _ file: String) throws -> String {
        let url = root.appendingPathComponent("book/build/\(lesson)/\(file)")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw BookRunMissing(description: "no \(url.path): run `make book` first (these tests read the book's runs)")
        }
        return text
    }

    static func csv(_ lesson: String, _ file: String) throws -> CSVTable { CSVTable(parsing: try text(lesson, file)) }
}

struct BookRunMissing: Error, CustomStringConvertible { let description: String }

extension CSVTable {
    /// The row whose first cell is `key`, as column name -> cell.
    func row(_ key: String) -> [String: String]? {
        rows.first { $0.first == key }.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }
}
