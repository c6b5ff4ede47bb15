import Foundation

/// Runs pandoc to turn one page's Markdown into HTML with the book's template.
///
/// Swift is one of pandoc's built-in highlight languages; the token colours live in book.css
/// (the template leaves out pandoc's own highlighting CSS). Math becomes MathML, which browsers
/// draw without any script from the network.
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
            executable, "--from", "markdown", "--to", "html5", "--standalone",
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
        if !messages.isEmpty {
            FileHandle.standardError.write(Data("pandoc, \(markdownPath): \(messages)".utf8))
        }
        try AtomicFile.moveIntoPlace(temporary, htmlPath)
    }
}
