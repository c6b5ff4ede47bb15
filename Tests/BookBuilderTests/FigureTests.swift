import Testing
@testable import BookBuilder

/// Figures are Markdown images naming files gnuplot rendered into book/build/figures.
@Suite struct FigureTests {
    @Test func existingFigureIsListedOnce() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("book/build/figures/01-demo-loss.svg", "<svg/>")
        let markdown = """
            ![Loss per epoch](figures/01-demo-loss.svg)
            again: ![Loss](figures/01-demo-loss.svg "the same")
            """
        let figures = Figures(renderedFolder: "book/build/figures", root: folder.path)
        #expect(try figures.check(markdown) == ["01-demo-loss.svg"])
    }

    @Test func missingFigureNamesFileAndScript() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let figures = Figures(renderedFolder: "book/build/figures", root: folder.path)
        let error = #expect(throws: BookError.self) { try figures.check("![x](figures/01-demo-loss.svg)") }
        #expect(error?.description.hasPrefix(
            "figure figures/01-demo-loss.svg: no file book/build/figures/01-demo-loss.svg (is there a figures/01-demo-loss.gp") == true)
    }

    @Test func remoteAndStrayImagesAreRefused() throws {
        let figures = Figures(renderedFolder: "book/build/figures", root: "/nonexistent")
        #expect(throws: BookError.self) { try figures.check("![x](https://example.com/a.png)") }
        #expect(throws: BookError.self) { try figures.check("![x](plot.svg)") }
        #expect(throws: BookError.self) { try figures.check("![x](figures/../secret.svg)") }
    }

    @Test func imagesInCodeFencesAreExamplesNotFigures() {
        let markdown = "```markdown\n![caption](figures/x.svg)\n```\n![real](figures/y.svg)"
        #expect(Figures.imageTargets(in: markdown) == ["figures/y.svg"])
    }
}
