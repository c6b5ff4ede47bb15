import Foundation

/// Turns a chapter's Markdown into the page's Markdown: includes become highlighted code blocks,
/// outputs become the lesson's printed text, and every figure is checked to exist.
public struct Chapter {
    public let page: Page
    public let info: ChapterInfo
    /// The Markdown pandoc will render.
    public let markdown: String
    /// The figure files the page shows, to copy next to it.
    public let figures: [String]

    /// Reads and resolves `page.source` under `root`. Every error names the chapter first.
    public init(page: Page, root: String, renderedFigures: String) throws {
        self.page = page
        guard let source = try? String(contentsOfFile: BookLayout.path(page.source, under: root), encoding: .utf8) else {
            throw BookError("\(page.source): cannot read the chapter")
        }
        info = try ChapterInfo(markdown: source, source: page.source)
        let include = Include(chapterFolder: page.folder, root: root)
        let output = Output(buildFolder: page.buildFolder, root: root)
        do {
            markdown = try DirectiveBlocks.expand(source, with: .init(
                includeBlock: { arguments, language in try include.block(arguments, language: language) },
                outputBlock: { name in try output.block(name) },
                fencedOutput: { name in Output.preformatted(try output.resolve(name)) },
                inline: { directive in
                    switch directive.name {
                    case "include":
                        throw BookError("\(directive.written): an include stands on a line of its own (it becomes a code block)")
                    case "output": return try output.resolve(directive.arguments)
                    default: throw BookError("\(directive.written): unknown directive (use include or output)")
                    }
                }))
            figures = try Figures(renderedFolder: renderedFigures, root: root).check(markdown)
        } catch let error as BookError {
            throw error.located(in: page.source)
        }
    }
}
