import Foundation

/// What `book check` verifies on every page: each include its Markdown source asks for is on
/// the page as exactly one highlighted code block whose text is the excerpt, character for
/// character (line breaks and indentation included, marker lines removed); and no paragraph
/// holds a line of an excerpt, which is what code printed as prose looks like.
public enum IncludeCheck {
    /// Shorter lines (`}`, `return x`) may be quoted in prose; longer ones are not.
    static let shortestLineChecked = 20

    /// Problems on every page of the book, each naming the HTML file.
    public static func check(_ layout: BookLayout) throws -> [String] {
        try layout.pages().flatMap { page in
            let htmlPath = "\(layout.htmlFolder)/\(page.name).html"
            guard let source = try? String(contentsOfFile: layout.absolute(page.source), encoding: .utf8) else {
                throw BookError("\(page.source): cannot read the chapter")
            }
            guard let html = try? String(contentsOfFile: layout.absolute(htmlPath), encoding: .utf8) else {
                throw BookError("\(htmlPath): missing (build the book first with `make book`)")
            }
            let include = Include(chapterFolder: page.folder, root: layout.root)
            return problems(chapter: source, html: html, excerpt: include.resolve).map { "\(htmlPath): \($0)" }
        }
    }

    /// Problems on one page, given its Markdown source and a way to resolve an include.
    static func problems(chapter markdown: String, html: String, excerpt: (String) throws -> String) -> [String] {
        var includes: [String] = []
        do {
            _ = try Directives.expand(markdown) { directive in
                if directive.name == "include" { includes.append(directive.arguments) }
                return ""
            }
        } catch {
            return ["\(error)"]
        }
        let blocks = HTMLText.codeBlocks(in: html)
        let paragraphs = HTMLText.paragraphs(in: html)
        var problems: [String] = []
        for arguments in Set(includes).sorted() {
            let wanted = includes.filter { $0 == arguments }.count
            let found = blocks.filter { $0.include == arguments }
            let expected: String
            do { expected = try excerpt(arguments) } catch { problems.append("\(error)"); continue }
            if found.count != wanted {
                problems.append("include \(arguments): \(wanted) in the chapter but \(found.count) code block\(found.count == 1 ? "" : "s") from it on the page")
            }
            let highlightable = (try? IncludeSpec(parsing: arguments)).flatMap { CodeBlock.language(forFile: $0.path) } != nil
            for block in found {
                if highlightable && !block.classes.contains("sourceCode") {
                    problems.append("include \(arguments): its code block is not highlighted (classes: \(block.classes.joined(separator: " ")))")
                }
                if block.text != expected {
                    problems.append("include \(arguments): the code block differs from the source region \(firstDifference(block.text, expected))")
                }
            }
            let lines = expected.split(whereSeparator: \.isNewline).map { HTMLText.collapsed(String($0)) }
                .filter { $0.count >= shortestLineChecked }
            if let line = lines.first(where: { line in paragraphs.contains { $0.contains(line) } }) {
                problems.append("include \(arguments): a paragraph holds its line \"\(line)\" (code printed as prose)")
            }
        }
        return problems
    }

    /// `at line 3: "let a = 1" on the page, "let a = 2" in the source`.
    static func firstDifference(_ page: String, _ source: String) -> String {
        let pageLines = page.split(separator: "\n", omittingEmptySubsequences: false)
        let sourceLines = source.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(pageLines.count, sourceLines.count) {
            let onPage = index < pageLines.count ? "\"\(pageLines[index])\"" : "nothing"
            let inSource = index < sourceLines.count ? "\"\(sourceLines[index])\"" : "nothing"
            if onPage != inSource { return "at line \(index + 1): \(onPage) on the page, \(inSource) in the source" }
        }
        return ""
    }
}
