import Testing
@testable import BookBuilder

/// `{{#output name}}` reads what the lesson wrote to `<out>/cells/<name>.txt`.
@Suite struct OutputTests {
    @Test func presentOutputIsTheTextWithoutItsLastNewline() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("book/build/01-demo/cells/summary.txt", "| a | b |\n|---|---|\n| 1 | 2 |\n\n")
        let output = Output(buildFolder: "book/build/01-demo", root: folder.path)
        #expect(try output.resolve("summary") == "| a | b |\n|---|---|\n| 1 | 2 |")
    }

    @Test func blockKeepsLinesUnlessItIsATable() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("book/build/01-demo/cells/warmup.txt", "peak lr 0.25\n  no warmup: diverged\n")
        try folder.write("book/build/01-demo/cells/table.txt", "| what | count |\n|:--|--:|\n| … replaced by <mask> | 3 |\n")
        let output = Output(buildFolder: "book/build/01-demo", root: folder.path)
        #expect(try output.block("warmup") == "~~~ {.output}\npeak lr 0.25\n  no warmup: diverged\n~~~")
        #expect(try output.block("table") == "| what | count |\n|:--|--:|\n| … replaced by \\<mask> | 3 |")
    }

    @Test func missingOutputIsNamed() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let output = Output(buildFolder: "book/build/01-demo", root: folder.path)
        let error = #expect(throws: BookError.self) { try output.resolve("steps-per-epoch") }
        #expect(error?.description.hasPrefix("output 'steps-per-epoch': no file book/build/01-demo/cells/steps-per-epoch.txt") == true)
    }
}
