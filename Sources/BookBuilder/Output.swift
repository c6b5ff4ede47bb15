import Foundation

/// Resolves `{{#output name}}` to the text a lesson wrote with `cell("name")`, which the
/// Workbook stores as `<out>/cells/<name>.txt`. The text is used exactly as the terminal showed
/// it (without its final newline), so a chapter can put it in a fence or, for a Markdown pipe
/// table, leave it bare to get a rendered table.
struct Output {
    /// The lesson's `--out` folder relative to `root`, e.g. `book/build/01-learning-curves`.
    let buildFolder: String
    let root: String

    func resolve(_ name: String) throws -> String {
        guard !name.isEmpty, !name.contains("/"), !name.contains(where: \.isWhitespace) else {
            throw BookError("output '\(name)': a name is one word like steps-per-epoch")
        }
        let path = "\(buildFolder)/cells/\(name).txt"
        guard let text = try? String(contentsOfFile: "\(root)/\(path)", encoding: .utf8) else {
            throw BookError("output '\(name)': no file \(path) (did the lesson run and write cell(\"\(name)\")?)")
        }
        var trimmed = Substring(text)
        while trimmed.last?.isNewline == true { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
