/// A fenced code block as pandoc's Markdown writes it: `~~~ {.swift data-include="..."}`.
///
/// The fence is made of tildes, one longer than any run of tildes in the code, so no line of
/// the code (a doc comment with a Markdown example, say) can close it early.
struct CodeBlock {
    let code: String
    /// The highlight language (`swift`), or nil for plain preformatted text.
    let language: String?
    /// Further classes, e.g. `output`.
    var classes: [String] = []
    /// Attributes; pandoc writes them on the block as `data-<key>`.
    var attributes: [(key: String, value: String)] = []

    var markdown: String {
        var longestRun = 0
        var run = 0
        for character in code {
            run = character == "~" ? run + 1 : 0
            longestRun = max(longestRun, run)
        }
        let fence = String(repeating: "~", count: max(3, longestRun + 1))
        var words = ((language.map { [$0] } ?? []) + classes).map { ".\($0)" }
        words += attributes.map { "\($0.key)=\"\($0.value)\"" }
        return "\(fence) {\(words.joined(separator: " "))}\n\(code)\n\(fence)"
    }

    /// The language a file's extension says, for an include the chapter did not fence.
    static func language(forFile path: String) -> String? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...] {
        case "swift": return "swift"
        case "sh": return "bash"
        case "py": return "python"
        case "json": return "json"
        default: return nil
        }
    }
}
