import Foundation

/// Resolves `{{#include File.swift:anchor}}`: the code the chapter shows is the code that ran.
///
/// Paths are relative to the chapter's folder, as in mdBook, and read from the tree the book is
/// built from (a student edition's tree gives the student's stubs). Anchor and solution marker
/// lines are removed from every include (not only anchored ones) and the excerpt's common
/// indentation is taken off, so a region cut from inside a function reads flush left.
struct Include {
    /// Folder of the chapter, relative to `root` (e.g. `Lessons/01-learning-curves`).
    let chapterFolder: String
    /// Absolute path of the tree the sources are read from.
    let root: String

    /// The excerpt's text, as the book shows it.
    func resolve(_ arguments: String) throws -> String {
        try excerpt(arguments).code
    }

    /// The excerpt as a highlighted code block with a caption naming its file and anchor.
    /// `language` is the chapter's own fence's language, if it fenced the include.
    func block(_ arguments: String, language: String? = nil) throws -> String {
        let excerpt = try excerpt(arguments)
        guard !arguments.contains("\"") else {
            throw BookError("include \(arguments): a path with a double quote cannot be named in the page")
        }
        var caption = "`\(excerpt.path)`"
        switch excerpt.spec.part {
        case .wholeFile: break
        case .anchor(let name): caption += ", anchor `\(name)`"
        case .lines(let first, let last):
            caption += last == first ? ", line \(first)" : ", lines \(first) to \(last.map(String.init) ?? "the end")"
        }
        let code = CodeBlock(code: excerpt.code, language: language ?? CodeBlock.language(forFile: excerpt.path),
                             attributes: [("include", arguments)])
        return "::: {.include}\n[\(caption)]{.include-source}\n\n\(code.markdown)\n:::"
    }

    /// The file (relative to the root, `..` resolved) and the lines the include shows.
    func excerpt(_ arguments: String) throws -> (spec: IncludeSpec, path: String, code: String) {
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
        let shown = dedented(SolutionMarkers.withoutMarkers(Anchors.withoutMarkers(excerpt)))
        return (spec, normalized(shownPath), shown.joined(separator: "\n"))
    }

    /// The lines with the indentation they all share removed (blank lines do not count).
    func dedented(_ lines: [Substring]) -> [Substring] {
        let indents = lines.filter { !$0.allSatisfy(\.isWhitespace) }
            .map { $0.prefix { $0 == " " || $0 == "\t" }.count }
        let common = indents.min() ?? 0
        return lines.map { $0.allSatisfy(\.isWhitespace) ? "" : $0.dropFirst(common) }
    }

    /// `Lessons/06-x/../../Sources/A.swift` -> `Sources/A.swift`.
    func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == "..", let last = parts.last, last != ".." { parts.removeLast() } else { parts.append(part) }
        }
        return parts.joined(separator: "/")
    }
}
