import Foundation

/// Runs pandoc to turn one page's Markdown into HTML with the book's template.
///
/// Swift is one of pandoc's built-in highlight languages; the token colours live in book.css
/// (the template leaves out pandoc's own highlighting CSS). Math becomes MathML, which browsers
/// draw without any script from the network. Smart typography is off: `--learning-rate` must not
/// become an en dash and a quote must stay straight, since readers copy flags and commands from
/// the prose; tabs are kept, so a code block holds exactly the source's characters.
struct Pandoc {
    var executable = "pandoc"

    /// Renders `markdownPath` to `htmlPath` (both absolute), atomically. Values in `metadata`
    /// are plain strings that pandoc escapes for HTML.
    func render(markdownPath: String, htmlPath: String, templatePath: String,
                metadata: [(key: String, value: String)]) throws {
        let url = URL(fileURLWithPath: htmlPath)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
        var arguments = [
            executable, "--from", "markdown-smart", "--to", "html5", "--standalone", "--preserve-tabs",
            "--template", templatePath, "--mathml", "--output", temporary,
        ]
        for (key, value) in metadata {
            arguments += ["--metadata", "\(key)=\(value)"]
        }
        arguments.append(markdownPath)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw BookError("cannot run pandoc (install it with `make deps`)")
        }
        let messages = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let firstMessage = messages.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        guard process.terminationStatus == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            if process.terminationStatus == 127 {
                throw BookError("pandoc not found (install it with `make deps`)")
            }
            throw BookError("pandoc failed on \(markdownPath): \(firstMessage)")
        }
        if let broken = Pandoc.unrenderedMath(in: messages) {
            try? FileManager.default.removeItem(atPath: temporary)
            throw BookError("pandoc could not turn a formula in \(markdownPath) into MathML: \(broken) (write it in the LaTeX subset pandoc's texmath reads, e.g. \\mathop{\\mathrm{arg\\,min}} for \\operatorname*)")
        }
        if !messages.isEmpty {
            FileHandle.standardError.write(Data("pandoc, \(markdownPath): \(messages)".utf8))
        }
        try AtomicFile.moveIntoPlace(temporary, htmlPath)
    }

    /// The formula pandoc left as raw TeX, if its messages report one. Pandoc only warns and
    /// shows the TeX source on the page, so the book treats it as an error.
    static func unrenderedMath(in messages: String) -> String? {
        let marker = "Could not convert TeX math "
        guard let range = messages.range(of: marker) else { return nil }
        let rest = messages[range.upperBound...]
        let formula = rest.range(of: ", rendering as TeX").map { rest[..<$0.lowerBound] } ?? rest.prefix(80)
        return String(formula)
    }
}
