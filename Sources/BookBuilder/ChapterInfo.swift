/// What the table of contents says about a chapter: its first heading and a one-line summary.
///
/// The summary is the text of a `<!-- summary: ... -->` comment when the author wrote one,
/// otherwise the chapter's first paragraph of prose.
public struct ChapterInfo: Equatable, Sendable {
    public let title: String
    public let summary: String

    public init(title: String, summary: String) {
        self.title = title
        self.summary = summary
    }

    public init(markdown: String, source: String) throws {
        let lines = markdown.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard let heading = lines.firstIndex(where: { $0.hasPrefix("# ") }) else {
            throw BookError("\(source): no title (the first line should be a heading like '# Learning curves')")
        }
        title = Self.headingText(lines[heading])
        summary = Self.summaryComment(in: markdown)
            ?? Self.firstParagraph(in: lines[(heading + 1)...])
            ?? ""
    }

    /// `# Learning curves {#curves}` -> `Learning curves`.
    static func headingText(_ line: Substring) -> String {
        var text = line.dropFirst(2).trimmingWhitespace()
        if text.hasSuffix("}"), let brace = text.lastIndex(of: "{") {
            text = text[..<brace].trimmingWhitespace()
        }
        while text.hasSuffix("#") { text = String(text.dropLast()).trimmingWhitespace() }
        return text
    }

    static func summaryComment(in markdown: String) -> String? {
        guard let start = markdown.range(of: "<!-- summary:"),
              let end = markdown[start.upperBound...].range(of: "-->") else { return nil }
        return markdown[start.upperBound..<end.lowerBound].trimmingWhitespace()
    }

    /// The first run of non-blank lines that is prose: not a heading, fence, image, comment,
    /// table, list, quote or directive.
    static func firstParagraph(in lines: ArraySlice<Substring>) -> String? {
        var paragraph: [String] = []
        var inFence = false
        for line in lines {
            let text = line.trimmingWhitespace()
            if text.hasPrefix("```") || text.hasPrefix("~~~") { inFence.toggle(); continue }
            if inFence { continue }
            if text.isEmpty {
                if !paragraph.isEmpty { break }
                continue
            }
            let notProse = ["#", "![", "<", "|", "{{#", "- ", "* ", "> ", "$$", ":::"]
            if paragraph.isEmpty, notProse.contains(where: { text.hasPrefix($0) }) { continue }
            paragraph.append(text)
        }
        return paragraph.isEmpty ? nil : paragraph.joined(separator: " ")
    }
}
