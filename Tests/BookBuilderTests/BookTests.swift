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

    /// A chapter as lessons 03, 05, 06, 08 and 09 write it: includes not fenced, one with an
    /// exercise's solution inside, flags in the prose, and an output that is not a table.
    func writeBareChapter(in folder: TemporaryFolder) throws {
        try folder.write("Lessons/02-batches/Counting.swift", """
            // ANCHOR: count
            /// Updates in one epoch: the batches, counting a short last one unless `dropLast`.
            public func updatesPerEpoch(samples: Int, batchSize: Int, dropLast: Bool) -> Int {
                \(solutionBegin) ex02_1
                return dropLast ? samples / batchSize : (samples + batchSize - 1) / batchSize
                \(solutionEnd)
            }
            // ANCHOR_END: count

            """)
        try folder.write("Lessons/02-batches/chapter.md", """
            # Batches

            Run it with `--per-device-train-batch-size 8` or --learning-rate 3e-3 -- "as is".

            {{#include Counting.swift:count}}

            {{#output settings}}
            """)
        try folder.write("book/build/02-batches/cells/settings.txt", "batch 5, 200 samples\n  40 updates an epoch\n")
    }

    @Test func bareIncludesAreCheckedCodeAndProseKeepsItsDashes() throws {
        let folder = try fixture()
        defer { folder.remove() }
        try writeBareChapter(in: folder)
        let layout = BookLayout(root: folder.path)
        try Book(layout: layout).build()
        #expect(try IncludeCheck.check(layout) == [])

        let page = try folder.read("book/html/02-batches.html")
        let blocks = HTMLText.codeBlocks(in: page)
        #expect(blocks.map(\.classes) == [["sourceCode", "swift"], ["output"]])
        #expect(blocks[0].text.contains("    return dropLast"))               // the teacher's book keeps the code
        #expect(!page.contains("SOLUTION"))
        #expect(blocks[1].text == "batch 5, 200 samples\n  40 updates an epoch")  // lines kept
        let text = HTMLText.collapsed(HTMLText.text(of: page[...]))
        #expect(text.contains("or --learning-rate 3e-3 -- \"as is\"."))          // no en dash, no curly quotes
        #expect(text.contains("Lessons/02-batches/Counting.swift, anchor count"))  // the caption
    }

    /// The check can fail: the same chapter rendered the old way (the include's text pasted in
    /// where the chapter wrote it, no fence added) is caught.
    @Test func theCheckCatchesIncludesRenderedTheOldWay() throws {
        let folder = try fixture()
        defer { folder.remove() }
        try writeBareChapter(in: folder)
        let layout = BookLayout(root: folder.path)
        try Book(layout: layout).build()

        let source = try folder.read("Lessons/02-batches/chapter.md")
        let include = Include(chapterFolder: "Lessons/02-batches", root: folder.path)
        let oldMarkdown = try Directives.expand(source) { directive in
            directive.name == "include" ? try include.resolve(directive.arguments) : "output"
        }
        try folder.write("old/02-batches.md", oldMarkdown)
        try Pandoc().render(markdownPath: "\(folder.path)/old/02-batches.md", htmlPath: "\(folder.path)/book/html/02-batches.html",
                            templatePath: "\(folder.path)/book/template.html", metadata: [("pagetitle", "old")])
        let problems = try IncludeCheck.check(layout)
        #expect(problems.contains("book/html/02-batches.html: include Counting.swift:count: 1 in the chapter but 0 code blocks from it on the page"))
        #expect(problems.contains { $0.contains("a paragraph holds its line") })
        #expect(problems.allSatisfy { $0.hasPrefix("book/html/02-batches.html") })   // chapter 01 fences its include
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
