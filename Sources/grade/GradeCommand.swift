// The `grade` tool: student edition, grading, manifest validation, and the student's checks.
// Its logic lives in Grader (tested); this file only parses the command line and prints.
import ArgumentParser
import Foundation
import Grader

struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Exercises graded by tests: the student edition, the gradebook, the checks.",
        subcommands: [Run.self, Student.self, Check.self, Chapters.self, Validate.self, ValidateBook.self,
                      Score.self, Exercise_.self, Build.self],
        defaultSubcommand: Run.self
    )
}

struct Root: ParsableArguments {
    @Option(help: "The package root (holding exercises/manifest.json).")
    var root: String = "."

    var path: String { URL(fileURLWithPath: root).standardizedFileURL.path }

    func manifest() throws -> Manifest { try Manifest.load(root: path) }

    /// `path` made absolute against the current folder.
    func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    var swift: String { ProcessInfo.processInfo.environment["SWIFT"] ?? "swift" }
}

/// Prints a GraderError line by line as `error: ...` and exits 1; no stack trace.
func reportingErrors(_ work: () throws -> Void) throws {
    do {
        try work()
    } catch let error as GraderError {
        for line in error.description.split(separator: "\n", omittingEmptySubsequences: false) {
            FileHandle.standardError.write(Data("error: \(line)\n".utf8))
        }
        throw ExitCode.failure
    }
}

/// One line to standard output at once (make shows progress while the grader works).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func format(_ seconds: TimeInterval) -> String { String(format: "%.0f s", seconds) }

extension GradeCommand {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Grade submissions (each exercise alone, one build for all): grades/<name>.json, <name>-feedback.md, gradebook.csv.")
        @OptionGroup var root: Root
        @Argument(help: "Students' folders (default: the teacher's own folder, which scores full marks).")
        var submissions: [String] = []
        @Option(help: "Grade only this exercise (repeat for more).")
        var exercise: [String] = []
        @Option(help: "Where the grades go.")
        var out: String = "grades"
        @Option(help: "The grading tree's folder (built once, kept: the next grading is incremental).")
        var tree: String = ".build-grade/tree"
        @Option(help: "Seconds each exercise's tests may run.")
        var timeout: Double = 120

        func run() throws {
            try reportingErrors {
                let start = Date()
                let manifest = try root.manifest()
                for id in exercise where manifest.exercise(id) == nil { throw GraderError("no exercise \(id) in \(Manifest.path)") }
                var folders: [String] = []
                for path in submissions.isEmpty ? [root.path] : submissions {
                    var isFolder: ObjCBool = false
                    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                        folders.append(root.absolute(path))
                    } else {
                        say("grade: skipping \(path) (not a folder)")
                    }
                }
                if folders.isEmpty { throw GraderError("no submission folder among: \(submissions.joined(separator: " "))") }
                let named = Submission.named(folders: folders)
                let grading = try Grading(teacherRoot: root.path, treeFolder: root.absolute(tree), manifest: manifest,
                                          files: try workbookFiles(root: root.path), timeout: timeout, swift: root.swift)
                let reports = try grading.grade(named, only: exercise, log: say)
                if reports.count == 1 {
                    say("")
                    FileHandle.standardOutput.write(Data(reports[0].table().utf8))
                }
                try Gradebook(manifest: manifest, reports: reports).write(to: root.absolute(out))
                say("grade: \(reports.count) submission(s) graded in \(format(Date().timeIntervalSince(start))); wrote \(out)/<name>.json, \(out)/<name>-feedback.md and \(out)/gradebook.csv")
            }
        }
    }

    struct Student: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the student edition (solutions replaced by stubs, hidden tests removed) and its book.")
        @OptionGroup var root: Root
        @Option(help: "Where to write it (brought up to date; its build folders are kept).")
        var out: String = "dist/student"
        @Option(help: "The book tool, to build the student book from the teacher's lesson runs (book/build).")
        var bookTool: String?

        func run() throws {
            try reportingErrors {
                let start = Date()
                let manifest = try root.manifest()
                let files = try workbookFiles(root: root.path)
                let check = ManifestCheck(root: root.path, manifest: manifest, files: files)
                let regions = check.regions()
                if !regions.problems.isEmpty { throw GraderError(all: regions.problems) }
                let edition = root.absolute(out)
                let written = try StudentEdition(root: root.path, manifest: manifest).write(files: files, to: edition)
                var book = ""
                if let bookTool {
                    try StudentBook(teacherRoot: root.path, edition: edition, bookTool: root.absolute(bookTool)).write()
                    book = "; the student book in \(out)/book/html/"
                }
                let leaks = try Validation.leaks(teacherRoot: root.path, files: files, regions: regions.regions,
                                                 manifest: manifest, studentFolder: edition)
                if !leaks.isEmpty { throw GraderError(all: leaks) }
                say("student: wrote \(written.count) files to \(out)/ (\(regions.regions.count) solution regions stubbed, \(manifest.exercises.count) exercises\(book)); no solution line in it (\(format(Date().timeIntervalSince(start))))")
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the manifest against the solution regions, the exercise suites and the chapters (no build).")
        @OptionGroup var root: Root

        func run() throws {
            try reportingErrors {
                let manifest = try root.manifest()
                let check = ManifestCheck(root: root.path, manifest: manifest, files: try workbookFiles(root: root.path))
                let problems = check.staticProblems()
                if !problems.isEmpty { throw GraderError(all: problems) }
                say("check: \(manifest.exercises.count) exercises, \(manifest.totalPoints) points: regions, suites and chapters match \(Manifest.path)")
            }
        }
    }

    struct Chapters: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write each chapter's generated exercises list from the manifest.")
        @OptionGroup var root: Root

        func run() throws {
            try reportingErrors {
                let manifest = try root.manifest()
                var chapters: [String] = []
                for e in manifest.exercises where !chapters.contains(e.chapter) { chapters.append(e.chapter) }
                for chapter in chapters {
                    let path = "\(root.path)/\(chapter)"
                    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                        throw GraderError("\(chapter): cannot read the chapter")
                    }
                    let updated = ChapterExercises.updated(text, chapter: chapter, manifest: manifest)
                    if updated != text {
                        try updated.write(toFile: path, atomically: true, encoding: .utf8)
                        say("chapters: updated the exercises of \(chapter)")
                    }
                }
                say("chapters: \(chapters.count) chapter\(chapters.count == 1 ? "" : "s") list their exercises")
            }
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the whole flow: student edition and book, its .ci/run, grading of fabricated submissions, every exercise alone.")
        @OptionGroup var root: Root
        @Option(help: "Where to write the student edition (its build is kept, so reruns are incremental).")
        var out: String = "dist/student"
        @Option(help: "The grading tree's folder (its build is kept: the next validation is incremental).")
        var tree: String = ".build-grade/validate"
        @Option(help: "The book tool, to check the student book (skipped without it).")
        var bookTool: String?
        @Option(help: "Seconds each exercise's tests may run.")
        var timeout: Double = 120

        func run() throws {
            try reportingErrors {
                let start = Date()
                let validation = Validation(
                    root: root.path, manifest: try root.manifest(), studentFolder: root.absolute(out),
                    treeFolder: root.absolute(tree), bookTool: bookTool.map(root.absolute),
                    timeout: timeout, swift: root.swift)
                let problems = try validation.run(log: say)
                if !problems.isEmpty { throw GraderError(all: problems) }
                say("validate: every exercise passes on the solution, fails on its stub, and is graded alone (\(format(Date().timeIntervalSince(start))))")
            }
        }
    }

    struct ValidateBook: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate-book",
            abstract: "Write the student book into the edition validate wrote, and check it holds nothing of the solutions.")
        @OptionGroup var root: Root
        @Option(help: "The student edition validate wrote.")
        var out: String = "dist/student"
        @Option(help: "The book tool.")
        var bookTool: String

        func run() throws {
            try reportingErrors {
                let validation = Validation(
                    root: root.path, manifest: try root.manifest(), studentFolder: root.absolute(out),
                    treeFolder: "", bookTool: root.absolute(bookTool), swift: root.swift)
                let problems = try validation.runBook(log: say)
                if !problems.isEmpty { throw GraderError(all: problems) }
            }
        }
    }

    // The student's side (`make test`, `make check EX=...`, `make lesson L=...` in the edition).

    struct Score: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build, run every exercise's tests in a process of its own, print the table and the score (exit 0 unless the package does not build).")
        @OptionGroup var root: Root
        @Option(help: "Seconds each exercise's tests may run.")
        var timeout: Double = 120

        func run() throws {
            try reportingErrors {
                let manifest = try root.manifest()
                let check = SelfCheck(package: root.path, manifest: manifest, timeout: timeout, swift: root.swift)
                let start = Date()
                say("score: building ...")
                try check.build()
                say("score: built in \(format(Date().timeIntervalSince(start))); running each exercise's tests")
                let report = GradeReport(name: "", submission: root.path, results: manifest.exercises.map(check.run))
                say("")
                FileHandle.standardOutput.write(Data(report.table().utf8))
                say("")
                say("make check EX=<exercise> shows one exercise's failing expectations.")
                say("score: \(report.earned) / \(report.possible) points")
            }
        }
    }

    struct Exercise_: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "exercise",
            abstract: "Build, then run one exercise's tests with their output (exit 0 when they pass).")
        @OptionGroup var root: Root
        @Argument(help: "The exercise, such as ex03_2.")
        var id: String

        func run() throws {
            try reportingErrors {
                let manifest = try root.manifest()
                guard let exercise = manifest.exercise(id) else {
                    throw GraderError("no exercise \(id); the list is in README.md (\(manifest.exercises.map(\.id).joined(separator: " ")))")
                }
                let check = SelfCheck(package: root.path, manifest: manifest, swift: root.swift)
                let start = Date()
                say("check: building ...")
                try check.build()
                say("check: built in \(format(Date().timeIntervalSince(start))); running \(exercise.tests.joined(separator: ", "))")
                if try check.runShowingOutput(exercise) {
                    say("check: \(id) passes its tests (\(exercise.points) point\(exercise.points == 1 ? "" : "s"))")
                } else {
                    let needs = exercise.buildsOn.isEmpty ? "" : " (its tests also run \(exercise.buildsOn.joined(separator: ", ")): solve that first)"
                    throw GraderError("\(id) does not pass yet: see the failures above\(needs)")
                }
            }
        }
    }

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build the package as make check and make test do (tests and lessons share it).")
        @OptionGroup var root: Root

        func run() throws {
            try reportingErrors {
                let manifest = try root.manifest()
                try SelfCheck(package: root.path, manifest: manifest, swift: root.swift).build(everything: true)
            }
        }
    }
}
