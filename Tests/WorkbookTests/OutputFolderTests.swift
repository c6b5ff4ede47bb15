import Foundation
import Testing
@testable import Workbook

/// A fresh, empty folder for one test.
func temporaryFolder() throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("workbook-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

private func read(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
}

@Suite struct OutputFolderTests {
    @Test func createsNestedFolders() throws {
        let root = try temporaryFolder()
        let out = try OutputFolder("\(root)/book/build/05-overfitting")
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: out.path, isDirectory: &isFolder))
        #expect(isFolder.boolValue)
    }

    @Test func writesAtomicallyAndLeavesNoTemporaryFiles() throws {
        let out = try OutputFolder(try temporaryFolder())
        try out.writeText("notes.txt", "first version\n")
        try out.writeText("notes.txt", "second version\n")
        try out.writeText("deeper/inside/notes.txt", "nested\n")
        #expect(try read(out.file("notes.txt")) == "second version\n")
        #expect(try read(out.file("deeper/inside/notes.txt")) == "nested\n")
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == ["deeper", "notes.txt"])   // no .tmp files left behind
    }

    @Test func failedWriteKeepsTheOldFile() throws {
        let out = try OutputFolder(try temporaryFolder())
        try out.writeText("metrics.csv", "step,loss\n")
        // A folder where the file should go makes the rename fail; nothing half written remains.
        try FileManager.default.createDirectory(atPath: out.file("blocked.csv"), withIntermediateDirectories: true)
        #expect(throws: LessonError.self) { try out.writeText("blocked.csv", "x\n") }
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == ["blocked.csv", "metrics.csv"])
        #expect(try read(out.file("metrics.csv")) == "step,loss\n")
    }

    @Test func unusableFolderGivesOneActionableLine() throws {
        let root = try temporaryFolder()
        _ = FileManager.default.createFile(atPath: "\(root)/a-file", contents: Data("x".utf8))
        do {
            _ = try OutputFolder("\(root)/a-file/out")
            Issue.record("expected an error")
        } catch {
            let message = Workbook.message(for: error)
            #expect(message.hasPrefix("cannot write to --out \(root)/a-file/out: "))
            #expect(message.hasSuffix("; choose another folder with --out"))
            #expect(message.contains("not a directory") || message.contains("file exists"))
            #expect(!message.contains("\n"))
        }
    }

    @Test func cellWritesItsFileAndPrintsUnlessQuiet() throws {
        let out = try OutputFolder(try temporaryFolder(), quiet: true)
        try out.cell("steps-per-epoch", "200 samples / batch 5 = 40 updates per epoch")
        #expect(try read("\(out.path)/cells/steps-per-epoch.txt") == "200 samples / batch 5 = 40 updates per epoch\n")
        try out.cell("summary") { "| run | loss |\n" }
        #expect(try read(out.file("cells/summary.txt")) == "| run | loss |\n")
    }

    @Test(arguments: ["", "../escape", "with space", "a/b"])
    func cellNamesAreLikeAnchors(_ name: String) throws {
        let out = try OutputFolder(try temporaryFolder(), quiet: true)
        #expect(throws: LessonError.self) { try out.cell(name, "x") }
    }

    @Test func writesCSVWithQuoting() throws {
        let out = try OutputFolder(try temporaryFolder())
        try out.writeCSV("runs.csv", header: ["run", "note"], rows: [["overfit", "val loss, rising"]])
        #expect(try read(out.file("runs.csv")) == "run,note\noverfit,\"val loss, rising\"\n")
    }
}

@Suite struct CSVTableTests {
    @Test func quotesOnlyWhatNeedsQuoting() {
        let table = CSVTable(
            header: ["step", "note"],
            rows: [["1", "plain"], ["2", "a, b"], ["3", "say \"hi\""], ["4", "two\nlines"], ["5", ""]])
        #expect(table.render() == """
            step,note
            1,plain
            2,"a, b"
            3,"say ""hi\"\"\"
            4,"two
            lines"
            5,

            """)
    }

    @Test func parsesWhatItWrites() {
        let table = CSVTable(
            header: ["step", "schedule", "lr"],
            rows: [["0", "cosine", "0"], ["1", "a \"quoted\", name", "1e-4"], ["2", "multi\nline", ""]])
        #expect(CSVTable(parsing: table.render()) == table)
    }

    @Test func parsesWindowsLineEndsAndSkipsBlankLines() {
        let table = CSVTable(parsing: "a,b\r\n1,2\r\n\r\n3,4")
        #expect(table.header == ["a", "b"])
        #expect(table.rows == [["1", "2"], ["3", "4"]])
        #expect(table.column("b") == ["2", "4"])
        #expect(table.column("c") == nil)
    }
}
