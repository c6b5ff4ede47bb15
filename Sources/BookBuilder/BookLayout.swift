import Foundation

/// Where the book's inputs and outputs live, relative to the repository root.
///
/// The chapters are the lessons present (a lesson exists once `Lessons/NN-slug/main.swift`
/// does), in folder order, then any extra pages listed in `book/pages.txt`. Chapters, includes
/// and the book's own sources are read from `root`; the lesson runs and figures from
/// `buildFolder`, which may lie elsewhere (a student edition's book reads the teacher's runs).
public struct BookLayout: Sendable {
    /// Absolute path of the tree holding `Lessons/` and `book/`.
    public let root: String
    public let lessonsFolder = "Lessons"
    /// The book's own sources: `index.md`, `pages.txt`, `template.html`, `book.css`.
    public let sourcesFolder = "book"
    /// Lesson runs (`book/build/NN-slug`), rendered figures and the intermediate Markdown:
    /// relative to `root`, or absolute.
    public let buildFolder: String
    /// The finished book: relative to `root`, or absolute.
    public let htmlFolder: String

    public init(root: String, buildFolder: String = "book/build", htmlFolder: String = "book/html") {
        self.root = root
        self.buildFolder = buildFolder
        self.htmlFolder = htmlFolder
    }

    public var renderedFigures: String { "\(buildFolder)/figures" }
    var extraPagesList: String { "\(sourcesFolder)/pages.txt" }

    /// Absolute path of a path relative to the root (an absolute path stays as it is).
    public func absolute(_ path: String) -> String { Self.path(path, under: root) }

    static func path(_ path: String, under root: String) -> String {
        path.hasPrefix("/") ? path : "\(root)/\(path)"
    }

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
