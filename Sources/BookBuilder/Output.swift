import Foundation

/// Resolves `{{#output name}}` to the text a lesson wrote with `cell("name")`, which the
/// Workbook stores as `<out>/cells/<name>.txt`. The text is used exactly as the terminal showed
/// it (without its final newline).
///
/// Where the directive stands decides how it looks: on a line of its own, a Markdown pipe table
/// becomes a table and any other text a preformatted block that keeps its lines; as the only
/// line of a chapter's fence, a preformatted block whatever it holds; in the middle of a
/// sentence, the text goes in as it is.
struct Output {
    /// The lesson's `--out` folder: relative to `root` (`book/build/01-learning-curves`) or absolute.
    let buildFolder: String
    let root: String

    func resolve(_ name: String) throws -> String {
        guard !name.isEmpty, !name.contains("/"), !name.contains(where: \.isWhitespace) else {
            throw BookError("output '\(name)': a name is one word like steps-per-epoch")
        }
        let path = "\(buildFolder)/cells/\(name).txt"
        guard let text = try? String(contentsOfFile: BookLayout.path(path, under: root), encoding: .utf8) else {
            throw BookError("output '\(name)': no file \(path) (did the lesson run and write cell(\"\(name)\")?)")
        }
        var trimmed = Substring(text)
        while trimmed.last?.isNewline == true { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    /// The output as a block of its own: a table, or preformatted text.
    func block(_ name: String) throws -> String {
        let text = try resolve(name)
        guard Self.isPipeTable(text) else { return Self.preformatted(text) }
        // Terminal text, not HTML: `<mask>` in a cell must show, not vanish as an unknown tag.
        return text.replacingOccurrences(of: "<", with: "\\<")
    }

    /// Text as a preformatted block in the book's style for outputs.
    static func preformatted(_ text: String) -> String {
        CodeBlock(code: text, language: nil, classes: ["output"]).markdown
    }

    /// Every line is a row of a Markdown pipe table (`| a | b |`).
    static func isPipeTable(_ text: String) -> Bool {
        let lines = text.split(whereSeparator: \.isNewline)
        return lines.count >= 2 && lines.allSatisfy { $0.trimmingWhitespace().hasPrefix("|") }
    }
}
