import Foundation

/// Builds `book/html` from the chapters, the lessons' outputs and the rendered figures.
///
/// Every chapter is resolved before anything is rendered, so a broken include in chapter 7
/// is reported (with the chapter's name) without leaving a half-updated book behind.
public struct Book {
    public let layout: BookLayout
    var pandoc = Pandoc()

    public init(layout: BookLayout) {
        self.layout = layout
    }

    /// Builds every page and the index; returns the HTML files written, relative to the root.
    @discardableResult
    public func build() throws -> [String] {
        let pages = try layout.pages()
        var chapters: [Chapter] = []
        var problems: [String] = []
        for page in pages {
            do {
                chapters.append(try Chapter(page: page, root: layout.root, renderedFigures: layout.renderedFigures))
            } catch let error as BookError {
                problems.append(error.description)
            }
        }
        guard problems.isEmpty else { throw BookError(problems.joined(separator: "\n")) }

        let html = layout.htmlFolder
        try AtomicFile.copy(layout.absolute("\(layout.sourcesFolder)/book.css"), to: layout.absolute("\(html)/book.css"))
        for figure in Set(chapters.flatMap(\.figures)).sorted() {
            try AtomicFile.copy(layout.absolute("\(layout.renderedFigures)/\(figure)"),
                                to: layout.absolute("\(html)/figures/\(figure)"))
        }

        let intro = try readIntro()
        let bookTitle = ChapterInfo.headingText(
            intro.split(whereSeparator: \.isNewline).first { $0.hasPrefix("# ") } ?? "# MiniTorch workbook")
        var written: [String] = []
        for (position, chapter) in chapters.enumerated() {
            var metadata = [(key: "pagetitle", value: "\(plain(chapter.info.title)) · \(bookTitle)"),
                            (key: "book-title", value: bookTitle)]
            if position > 0 {
                let previous = chapters[position - 1]
                metadata += [("prev-url", "\(previous.page.name).html"), ("prev-title", plain(previous.info.title))]
            }
            if position + 1 < chapters.count {
                let next = chapters[position + 1]
                metadata += [("next-url", "\(next.page.name).html"), ("next-title", plain(next.info.title))]
            }
            written.append(try render(chapter.markdown, named: chapter.page.name, metadata: metadata))
        }

        let lessonCount = chapters.filter { $0.page.source.hasPrefix("\(layout.lessonsFolder)/") }.count
        let index = IndexPage.markdown(intro: intro, lessons: Array(chapters[..<lessonCount]),
                                       extras: Array(chapters[lessonCount...]))
        var metadata = [(key: "pagetitle", value: bookTitle), (key: "book-title", value: bookTitle),
                        (key: "is-index", value: "true")]
        if let first = chapters.first {
            metadata += [("next-url", "\(first.page.name).html"), ("next-title", plain(first.info.title))]
        }
        written.append(try render(index, named: "index", metadata: metadata))
        return written
    }

    /// The front page's own prose, `book/index.md`, which starts with the book's title.
    func readIntro() throws -> String {
        let path = "\(layout.sourcesFolder)/index.md"
        guard let text = try? String(contentsOfFile: layout.absolute(path), encoding: .utf8) else {
            throw BookError("\(path): missing (the front page's title and introduction)")
        }
        return text
    }

    /// Keeps the page's Markdown in `book/build/pages` (handy when a page looks wrong),
    /// then renders it to `book/html/<name>.html`.
    func render(_ markdown: String, named name: String, metadata: [(key: String, value: String)]) throws -> String {
        let markdownPath = layout.absolute("\(layout.buildFolder)/pages/\(name).md")
        try AtomicFile.write(markdown, to: markdownPath)
        let htmlPath = "\(layout.htmlFolder)/\(name).html"
        try pandoc.render(markdownPath: markdownPath, htmlPath: layout.absolute(htmlPath),
                          templatePath: layout.absolute("\(layout.sourcesFolder)/template.html"),
                          metadata: metadata)
        return htmlPath
    }

    /// A title for a link or a browser tab: Markdown's backticks and emphasis removed.
    func plain(_ title: String) -> String {
        title.filter { $0 != "`" && $0 != "*" }
    }
}
