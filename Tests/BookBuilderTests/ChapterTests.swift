import Testing
@testable import BookBuilder

/// A whole chapter: includes, outputs and figures resolved together, errors named by chapter.
@Suite struct ChapterTests {
    func lesson(chapter: String) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write("Lessons/03-lr-schedules/main.swift", "print(1)\n")
        try folder.write("Lessons/03-lr-schedules/Schedules.swift", "// ANCHOR: cosine\nlet lr = 0.5\n// ANCHOR_END: cosine\n")
        try folder.write("Lessons/03-lr-schedules/chapter.md", chapter)
        try folder.write("book/build/03-lr-schedules/cells/table.txt", "| step | lr |\n")
        try folder.write("book/build/figures/03-lr-schedules-lr.svg", "<svg/>")
        return folder
    }

    let page = Page(source: "Lessons/03-lr-schedules/chapter.md", name: "03-lr-schedules",
                    buildFolder: "book/build/03-lr-schedules")

    @Test func resolvesIncludesOutputsAndFigures() throws {
        let folder = try lesson(chapter: """
            # Learning-rate schedules {#schedules}

            Warmup, then decay.

            ```swift
            {{#include Schedules.swift:cosine}}
            ```

            {{#output table}}

            ![The schedules](figures/03-lr-schedules-lr.svg)
            """)
        defer { folder.remove() }
        let chapter = try Chapter(page: page, root: folder.path, renderedFigures: "book/build/figures")
        #expect(chapter.info == ChapterInfo(title: "Learning-rate schedules", summary: "Warmup, then decay."))
        #expect(chapter.markdown.contains("~~~ {.swift include=\"Schedules.swift:cosine\"}\nlet lr = 0.5\n~~~"))
        #expect(!chapter.markdown.contains("```swift"))   // the chapter's fence is replaced, not doubled
        #expect(chapter.markdown.contains("\n| step | lr |\n"))
        #expect(chapter.figures == ["03-lr-schedules-lr.svg"])
    }

    @Test func brokenIncludeFailsWithTheChaptersName() throws {
        let folder = try lesson(chapter: "# Schedules\n\n{{#include Schedules.swift:warmup}}\n")
        defer { folder.remove() }
        #expect(throws: BookError("Lessons/03-lr-schedules/chapter.md: include Schedules.swift:warmup: no anchor 'warmup' in Lessons/03-lr-schedules/Schedules.swift")) {
            try Chapter(page: page, root: folder.path, renderedFigures: "book/build/figures")
        }
    }

    @Test func includeInsideASentenceIsAnError() throws {
        let folder = try lesson(chapter: "# Schedules\n\nThe code {{#include Schedules.swift:cosine}} here.\n")
        defer { folder.remove() }
        let error = #expect(throws: BookError.self) {
            try Chapter(page: page, root: folder.path, renderedFigures: "book/build/figures")
        }
        #expect(error?.description == "Lessons/03-lr-schedules/chapter.md: {{#include Schedules.swift:cosine}}: an include stands on a line of its own (it becomes a code block)")
    }

    @Test func unknownDirectiveIsNamed() throws {
        let folder = try lesson(chapter: "# Schedules\n\n{{#figure lr}}\n")
        defer { folder.remove() }
        let error = #expect(throws: BookError.self) {
            try Chapter(page: page, root: folder.path, renderedFigures: "book/build/figures")
        }
        #expect(error?.description == "Lessons/03-lr-schedules/chapter.md: {{#figure lr}}: unknown directive (use include or output)")
    }

    @Test func summaryCommentWinsOverFirstParagraph() throws {
        let info = try ChapterInfo(markdown: "# Title\n<!-- summary: Short and sweet. -->\n\nLong first paragraph.\n", source: "x.md")
        #expect(info.summary == "Short and sweet.")
        let plain = try ChapterInfo(markdown: "# Title\n\n![fig](figures/a.svg)\n\nFirst line\nsecond line.\n\nNext.", source: "x.md")
        #expect(plain.summary == "First line second line.")
        #expect(throws: BookError.self) { try ChapterInfo(markdown: "no heading", source: "x.md") }
    }

    @Test func pagesAreLessonsWithAMainThenExtraPages() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for lesson in ["02-b", "01-a"] {
            try folder.write("Lessons/\(lesson)/main.swift", "")
            try folder.write("Lessons/\(lesson)/chapter.md", "# \(lesson)\n")
        }
        try folder.write("Lessons/03-not-yet/chapter.md", "# draft\n")
        try folder.write("book/appendix.md", "# Appendix\n")
        try folder.write("book/pages.txt", "# extra pages\nbook/appendix.md  # flags\n")
        let pages = try BookLayout(root: folder.path).pages()
        #expect(pages.map(\.name) == ["01-a", "02-b", "appendix"])
        #expect(pages[0] == Page(source: "Lessons/01-a/chapter.md", name: "01-a", buildFolder: "book/build/01-a"))

        try folder.write("Lessons/04-no-chapter/main.swift", "")
        #expect(throws: BookError("Lessons/04-no-chapter/chapter.md: missing (every lesson with a main.swift needs a chapter)")) {
            try BookLayout(root: folder.path).pages()
        }
    }
}
