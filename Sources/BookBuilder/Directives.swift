/// One `{{#name arguments}}` written in a chapter, e.g. `{{#include Loop.swift:train}}`.
struct Directive: Equatable {
    let name: String
    let arguments: String

    /// How the author wrote it, for error messages.
    var written: String { "{{#\(name) \(arguments)}}" }
}

/// Finds mdBook-style directives in Markdown and replaces each by its expansion.
///
/// Directives are expanded everywhere, fences included, because that is where an include of
/// code belongs. As in mdBook, a backslash keeps one literal: `\{{#include x}}` prints
/// `{{#include x}}`, which is how a page can document the syntax itself.
enum Directives {
    static func expand(_ text: String, with expansion: (Directive) throws -> String) throws -> String {
        var result = ""
        var rest = text[...]
        while let open = rest.range(of: "{{#") {
            let before = rest[..<open.lowerBound]
            if before.hasSuffix("\\") {
                result += before.dropLast() + "{{#"
                rest = rest[open.upperBound...]
                continue
            }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw BookError("'{{#' is never closed by '}}'")
            }
            let inside = rest[open.upperBound..<close.lowerBound]
            let name = inside.prefix { !$0.isWhitespace }
            let arguments = inside.dropFirst(name.count).trimmingWhitespace()
            result += before
            result += try expansion(Directive(name: String(name), arguments: arguments))
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    /// The directive when `line` holds nothing else (spaces around it aside).
    static func standalone(_ line: Substring) -> Directive? {
        let text = line.trimmingWhitespace()
        guard text.hasPrefix("{{#"), text.hasSuffix("}}"), text.count > 5 else { return nil }
        let inside = text.dropFirst(3).dropLast(2)
        guard !inside.contains("{{#"), !inside.contains("}}") else { return nil }
        let name = inside.prefix { !$0.isWhitespace }
        return Directive(name: String(name), arguments: inside.dropFirst(name.count).trimmingWhitespace())
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return String(self[start..<Swift.max(start, end)])
    }
}
