import Foundation
import Testing
@testable import BookBuilder

/// The whole book from a two-lesson fixture, rendered with the real pandoc and the book's own
/// template and stylesheet.
@Suite(.enabled(if: toolInstalled("pandoc"), "needs pandoc (make deps)"))
struct BookTests {
    /// The repository, found from this file's path, for book/template.html and book/book.css.
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    func fixture() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        for file in ["template.html", "book.css", "index.md"] {
            try folder.write("book/\(file)", try String(contentsOfFile: "\(Self.repository)/book/\(file)", encoding: .utf8))
        }
        try folder.write("Lessons/01-curves/main.swift", "")
        try folder.write("Lessons/01-curves/Loop.swift", "// ANCHOR: loop\nfor x in xs { step(x) }\n// ANCHOR_END: loop\n")
        try folder.write("Lessons/01-curves/chapter.md", """
            # Learning `curves`

            Loss is smooth, accuracy is steppy; $\\text{ppl} = e^{\\ell}$.

            ```swift
            {{#include Loop.swift:loop}}
            ```

            {{#output summary}}

            ![Loss](figures/01-curves-loss.svg)
            """)
        try folder.write("book/build/01-curves/cells/summary.txt", "| epoch | loss |\n|---:|---:|\n| 1 | 2.3 |\n")
        try folder.write("book/build/figures/01-curves-loss.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        try folder.write("Lessons/02-batches/main.swift", "")
        try folder.write("Lessons/02-batches/chapter.md", "# Batches\n\nForty updates an epoch.\n")
        return folder
    }

    @Test func buildsPagesIndexAndWorkingLinks() throws {
        let folder = try fixture()
        defer { folder.remove() }
        let written = try Book(layout: BookLayout(root: folder.path)).build()
        #expect(written == ["book/html/01-curves.html", "book/html/02-batches.html", "book/html/index.html"])

        let first = try folder.read("book/html/01-curves.html")
        #expect(first.contains("<title>Learning curves · MiniTorch workbook</title>"))
        #expect(first.contains(#"class="sourceCode swift""#))       // highlighted as Swift
        #expect(first.contains("<math"))                              // MathML, no script
        #expect(first.contains("<table"))                             // the output's pipe table
        #expect(first.contains(#"href="02-batches.html""#))          // next
        #expect(!first.contains("ANCHOR"))
        #expect(folder.exists("book/html/figures/01-curves-loss.svg"))
        #expect(folder.exists("book/html/book.css"))

        let index = try folder.read("book/html/index.html")
        #expect(index.contains(#"<a href="01-curves.html">Learning <code>curves</code></a>"#))
        #expect(index.contains("Forty updates an epoch."))

        #expect(try LinkChecker.check(folder: "\(folder.path)/book/html").isEmpty)
    }

    @Test func aBrokenChapterStopsTheBuildAndNamesIt() throws {
        let folder = try fixture()
        defer { folder.remove() }
        try folder.write("Lessons/02-batches/chapter.md", "# Batches\n\n{{#output missing-table}}\n")
        let error = #expect(throws: BookError.self) { try Book(layout: BookLayout(root: folder.path)).build() }
        #expect(error?.description.hasPrefix("Lessons/02-batches/chapter.md: output 'missing-table'") == true)
        #expect(!folder.exists("book/html/index.html"))
    }

    @Test func aFormulaPandocCannotRenderStopsTheBuild() throws {
        let folder = try fixture()
        defer { folder.remove() }
        try folder.write("Lessons/02-batches/chapter.md", "# Batches\n\n$$q = \\operatorname*{arg\\,min}_{c} |c|$$\n")
        let error = #expect(throws: BookError.self) { try Book(layout: BookLayout(root: folder.path)).build() }
        #expect(error?.description.contains("could not turn a formula in") == true)
        #expect(error?.description.contains("02-batches") == true)
        #expect(!folder.exists("book/html/02-batches.html"))
    }
}
