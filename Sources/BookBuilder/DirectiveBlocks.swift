/// Finds the directives that stand on a line of their own and makes each a block of the page.
///
/// - An include is always a code block, whether the chapter wrote it bare or fenced it
///   (` ```swift ` around it): the fence is replaced, never doubled, and its language kept.
/// - An output on its own line is a block too (a table, or preformatted text); an output that is
///   a fence's only line is preformatted text, in the book's style for outputs.
/// - Any other directive (an output in a sentence, or inside a chapter's fence next to other
///   lines) is expanded in place. An include inside a sentence is an error.
///
/// The block keeps the directive line's indentation, so an include inside a list item stays in
/// the item. Text that came from an expansion is never scanned for directives again.
enum DirectiveBlocks {
    struct Expansions {
        /// An include on a line of its own, with the language of the chapter's fence if any.
        var includeBlock: (_ arguments: String, _ language: String?) throws -> String
        /// An output on a line of its own.
        var outputBlock: (_ name: String) throws -> String
        /// An output that is the only line of a chapter's fence.
        var fencedOutput: (_ name: String) throws -> String
        /// Any directive elsewhere.
        var inline: (Directive) throws -> String
    }

    static func expand(_ markdown: String, with expansions: Expansions) throws -> String {
        let lines = markdown.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var result: [String] = []
        var plain: [Substring] = []   // lines waiting for inline expansion
        func flush() throws {
            guard !plain.isEmpty else { return }
            result.append(try Directives.expand(plain.joined(separator: "\n"), with: expansions.inline))
            plain = []
        }
        func indented(_ block: String, like line: Substring) -> String {
            let indent = line.prefix { $0 == " " || $0 == "\t" }
            guard !indent.isEmpty else { return block }
            return block.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? "" : indent + $0 }.joined(separator: "\n")
        }

        var index = 0
        while index < lines.count {
            let line = lines[index]
            if let fence = Fence(opening: line) {
                let close = lines[(index + 1)...].firstIndex { fence.isClosed(by: $0) } ?? lines.count
                let body = lines[(index + 1)..<close]
                let content = body.filter { !$0.allSatisfy(\.isWhitespace) }
                let includes = body.filter { Directives.standalone($0)?.name == "include" }
                if content.count == 1, let directive = Directives.standalone(content[0]), directive.name == "include" {
                    try flush()
                    result.append(indented(try expansions.includeBlock(directive.arguments, fence.language), like: line))
                } else if content.count == 1, let directive = Directives.standalone(content[0]), directive.name == "output",
                          fence.language == nil {
                    try flush()
                    result.append(indented(try expansions.fencedOutput(directive.arguments), like: line))
                } else if let stray = includes.first {
                    throw BookError("\(stray.trimmingWhitespace()): an include inside a code fence must be the fence's only line (it becomes a code block of its own)")
                } else {
                    plain += lines[index..<min(close + 1, lines.count)]
                }
                index = close + 1
                continue
            }
            if let directive = Directives.standalone(line) {
                switch directive.name {
                case "include":
                    try flush()
                    result.append(indented(try expansions.includeBlock(directive.arguments, nil), like: line))
                    index += 1
                    continue
                case "output":
                    try flush()
                    result.append(indented(try expansions.outputBlock(directive.arguments), like: line))
                    index += 1
                    continue
                default:
                    break
                }
            }
            plain.append(line)
            index += 1
        }
        try flush()
        return result.joined(separator: "\n")
    }

    /// A code fence's opening line (` ```swift `, `~~~~`, ` ``` {.swift} `), as CommonMark and
    /// pandoc read it: up to three spaces, then three or more backticks or tildes.
    struct Fence {
        let character: Character
        let length: Int
        /// The language the info string names, if any (`swift` from `swift` or `{.swift}`).
        let language: String?

        init?(opening line: Substring) {
            let afterIndent = line.drop { $0 == " " }
            guard line.count - afterIndent.count <= 3, let first = afterIndent.first, first == "`" || first == "~" else {
                return nil
            }
            let run = afterIndent.prefix { $0 == first }
            guard run.count >= 3 else { return nil }
            let info = afterIndent.dropFirst(run.count).trimmingWhitespace()
            if first == "`" && info.contains("`") { return nil }
            character = first
            length = run.count
            let word = info.hasPrefix("{")
                ? info.dropFirst().split(whereSeparator: { $0.isWhitespace || $0 == "}" }).first { $0.hasPrefix(".") }?.dropFirst()
                : info.split(whereSeparator: \.isWhitespace).first
            language = word.map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        }

        func isClosed(by line: Substring) -> Bool {
            let afterIndent = line.drop { $0 == " " }
            guard line.count - afterIndent.count <= 3 else { return false }
            let run = afterIndent.prefix { $0 == character }
            return run.count >= length && afterIndent.dropFirst(run.count).allSatisfy(\.isWhitespace)
        }
    }
}
