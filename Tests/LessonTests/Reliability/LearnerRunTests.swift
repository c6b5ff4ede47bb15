import Foundation
import Testing
import Workbook

/// A learner's run with flags of their own, started the way the chapter says (no `--out`),
/// cannot change what the book is built from: it lands in runs/<lesson>, and book/build, which
/// `make book` fills with its own default runs, is left exactly as it was.
@Suite("A learner's run leaves the book alone")
struct LearnerRunTests {
    @Test func aRunWithOtherFlagsLandsInRunsNotInTheBook() async throws {
        let lesson = "03-lr-schedules"
        #expect(Workbook.defaultOutputPath(lesson: lesson) == "runs/\(lesson)")
        guard let executable = lessonExecutable(lesson) else {
            print("notice: skipping the learner's-run test: lesson-\(lesson) is not in \(productsFolder?.path ?? "the build folder"); `make build` builds it")
            return
        }
        let scratch = scratchFolder("learner-run")
        // What `make book` left: the default run's table of rates.
        let book = scratch.appendingPathComponent("book/build/\(lesson)")
        let bookCell = book.appendingPathComponent("cells/schedule-values.txt")
        try FileManager.default.createDirectory(at: bookCell.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("| linear | 1.00e-03 |\n".utf8).write(to: bookCell)

        let result = try await LessonProcess(executable, ["--learning-rate", "3e-3", "--quiet"], scratch: scratch).run(timeout: 120)
        #expect(result.status == 0, "\(result.standardError)")

        #expect(try String(contentsOf: bookCell, encoding: .utf8) == "| linear | 1.00e-03 |\n")
        let bookFiles = FileManager.default.enumerator(atPath: book.path)?.allObjects as? [String] ?? []
        #expect(bookFiles.sorted() == ["cells", "cells/schedule-values.txt"])
        let learnerCell = scratch.appendingPathComponent("runs/\(lesson)/cells/schedule-values.txt")
        #expect((try? String(contentsOf: learnerCell, encoding: .utf8))?.contains("3.00e-03") == true)
        try? FileManager.default.removeItem(at: scratch)
    }
}
