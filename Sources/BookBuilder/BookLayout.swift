import Foundation

/// Where the book's inputs and outputs live, relative to the repository root.
///
/// The chapters are the lessons present (a lesson exists once `Lessons/NN-slug/main.swift`
/// does), in folder order, then any extra pages listed in `book/pages.txt`.
public struct BookLayout: Sendable {
    /// Absolute path of the repository.
    public let root: String
    public let lessonsFolder = "Lessons"
    /// The book's own sources: `index.md`, `pages.txt`, `template.html`, `book.css`.
    public let sourcesFolder = "book"
    /// Lesson runs (`book/build/NN-slug`), rendered figures and the intermediate Markdown.
    public let buildFolder = "book/build"
    /// The finished book.
    public let htmlFolder = "book/html"

    public init(root: String) {
        self.root = root
    }

    public var renderedFigures: String { "\(buildFolder)/figures" }
    var extraPagesList: String { "\(sourcesFolder)/pages.txt" }

    /// Absolute path of a path relative to the root.
    func absolute(_ path: String) -> String { "\(root)/\(path)" }

    /// Every page in reading order.
    public func pages() throws -> [Page] {
        try lessonPages() + extraPages()
    }

    func lessonPages() throws -> [Page] {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: absolute(lessonsFolder))) ?? []
        return try folders.sorted()
            .filter { FileManager.default.fileExists(atPath: absolute("\(lessonsFolder)/\($0)/main.swift")) }
            .map { folder in
                let chapter = "\(lessonsFolder)/\(folder)/chapter.md"
                guard FileManager.default.fileExists(atPath: absolute(chapter)) else {
                    throw BookError("\(chapter): missing (every lesson with a main.swift needs a chapter)")
                }
                return Page(source: chapter, name: folder, buildFolder: "\(buildFolder)/\(folder)")
            }
    }

    /// Pages listed one per line in `book/pages.txt` (paths from the root; `#` starts a comment).
    func extraPages() throws -> [Page] {
        guard let list = try? String(contentsOfFile: absolute(extraPagesList), encoding: .utf8) else {
            return []
        }
        var pages: [Page] = []
        for (number, line) in list.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let path = (line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                .trimmingWhitespace()
            if path.isEmpty { continue }
            guard FileManager.default.fileExists(atPath: absolute(path)) else {
                throw BookError("\(extraPagesList):\(number + 1): no file \(path)")
            }
            let file = path.split(separator: "/").last.map(String.init) ?? path
            let name = file.hasSuffix(".md") ? String(file.dropLast(3)) : file
            guard name != "index" else {
                throw BookError("\(extraPagesList):\(number + 1): a page cannot be called index")
            }
            pages.append(Page(source: path, name: name, buildFolder: "\(buildFolder)/\(name)"))
        }
        return pages
    }
}
