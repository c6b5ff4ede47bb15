/// One page of the book: a lesson's chapter, or an extra page listed in `book/pages.txt`.
public struct Page: Equatable, Sendable {
    /// The Markdown source relative to the repository, e.g. `Lessons/01-learning-curves/chapter.md`.
    public let source: String
    /// The page's name: its HTML file is `<name>.html`, e.g. `01-learning-curves`.
    public let name: String
    /// Where the lesson's run wrote its CSVs and cells, e.g. `book/build/01-learning-curves`.
    public let buildFolder: String

    public init(source: String, name: String, buildFolder: String) {
        self.source = source
        self.name = name
        self.buildFolder = buildFolder
    }

    /// The folder holding the source, which is what include paths are relative to.
    var folder: String {
        source.split(separator: "/").dropLast().joined(separator: "/")
    }
}
