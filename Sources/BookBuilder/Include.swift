import Foundation

/// Resolves `{{#include File.swift:anchor}}`: the code the chapter shows is the code that ran.
///
/// Paths are relative to the chapter's folder, as in mdBook. Marker lines are removed from
/// every include (not only anchored ones) and the excerpt's common indentation is taken off,
/// so a region cut from inside a function reads flush left in the book.
struct Include {
    /// Folder of the chapter, relative to `root` (e.g. `Lessons/01-learning-curves`).
    let chapterFolder: String
    /// Absolute path of the repository.
    let root: String

    func resolve(_ arguments: String) throws -> String {
        let spec = try IncludeSpec(parsing: arguments)
        let shownPath = chapterFolder.isEmpty ? spec.path : "\(chapterFolder)/\(spec.path)"
        guard let text = try? String(contentsOfFile: "\(root)/\(shownPath)", encoding: .utf8) else {
            throw BookError("include \(arguments): no file \(shownPath)")
        }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        if text.last?.isNewline == true { lines.removeLast() }

        let excerpt: [Substring]
        switch spec.part {
        case .wholeFile:
            excerpt = lines
        case .anchor(let name):
            guard let region = Anchors.lines(of: name, in: lines) else {
                throw BookError("include \(arguments): no anchor '\(name)' in \(shownPath)")
            }
            excerpt = region
        case .lines(let first, let last):
            guard first <= lines.count else {
                throw BookError("include \(arguments): \(shownPath) has only \(lines.count) lines")
            }
            excerpt = Array(lines[(first - 1)..<min(last ?? lines.count, lines.count)])
        }
        return dedented(Anchors.withoutMarkers(excerpt)).joined(separator: "\n")
    }

    /// The lines with the indentation they all share removed (blank lines do not count).
    func dedented(_ lines: [Substring]) -> [Substring] {
        let indents = lines.filter { !$0.allSatisfy(\.isWhitespace) }
            .map { $0.prefix { $0 == " " || $0 == "\t" }.count }
        let common = indents.min() ?? 0
        return lines.map { $0.allSatisfy(\.isWhitespace) ? "" : $0.dropFirst(common) }
    }
}
