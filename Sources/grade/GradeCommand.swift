// The `grade` tool: student edition, grading, manifest validation. Its logic lives in Grader
// (tested); this file only parses the command line and prints.
import ArgumentParser
import Foundation
import Grader

struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Exercises graded by tests: the student edition, the grade table, the checks.",
        subcommands: [Run.self, Student.self, Check.self, Chapters.self, Validate.self],
        defaultSubcommand: Run.self
    )
}

struct Root: ParsableArguments {
    @Option(help: "The teacher's package root (holding exercises/manifest.json).")
    var root: String = "."

    var path: String { URL(fileURLWithPath: root).standardizedFileURL.path }

    func manifest() throws -> Manifest { try Manifest.load(root: path) }

    /// `path` made absolute against the current folder.
    func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
}

/// Prints a GraderError line by line as `error: ...` and exits 1; no stack trace.
func reportingErrors(_ work: () throws -> Void) throws {
    do {
        try work()
    } catch let error as GraderError {
        for line in error.description.split(separator: "\n") {
            FileHandle.standardError.write(Data("error: \(line)\n".utf8))
        }
        throw ExitCode.failure
    }
}

/// One line to standard output at once (make shows progress while the grader works).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

extension GradeCommand {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build once, run each exercise's tests in its own process, print the table, write grade.json.")
        @OptionGroup var root: Root
        @Option(help: "A student's copy of the package to grade (default: the root itself).")
        var submission: String?
        @Option(help: "The build folder for the root (a submission builds in its work folder).")
        var scratchPath: String = ".build"
        @Option(help: "Seconds each exercise's tests may run.")
        var timeout: Double = 120
        @Option(help: "Where to write the report.")
        var json: String = "grade.json"
        @Argument(help: "Grade only these exercises (ids such as ex03_2).")
        var only: [String] = []

        func run() throws {
            try reportingErrors {
                let manifest = try root.manifest()
                for id in only where manifest.exercise(id) == nil { throw GraderError("no exercise \(id) in \(Manifest.path)") }
                var package = root.path, scratch = root.absolute(scratchPath)
                if let submission {
                    let work = root.path + "/.build-grade/submission"
                    try Overlay(teacherRoot: root.path).prepare(submission: root.absolute(submission), workFolder: work)
                    say("grade: copied \(submission) to \(work) with the teacher's tests laid over it")
                    package = work
                    scratch = work + "/.build"
                }
                let hidden = FileManager.default.fileExists(atPath: "\(package)/\(Manifest.hiddenFolder)")
                let grading = Grading(package: package, scratchPath: scratch, manifest: manifest,
                                      includeHidden: hidden, timeout: timeout, swift: ProcessInfo.processInfo.environment["SWIFT"] ?? "swift")
                say("grade: building \(package) in release (once) ...")
                let report = grading.grade(only: only) { result in
                    say("grade: \(result.id) \(result.earned) / \(result.points) \(result.outcome.rawValue) (\(String(format: "%.1f", result.seconds)) s)")
                }
                say("")
                FileHandle.standardOutput.write(Data(report.table().utf8))
                let out = root.absolute(json)
                guard FileManager.default.createFile(atPath: out, contents: Data(report.json().utf8)) else {
                    throw GraderError("cannot write \(out)")
                }
                say("grade: wrote \(json)")
            }
        }
    }

    struct Student: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the student edition: solutions replaced by stubs, hidden tests removed.")
        @OptionGroup var root: Root
        @Option(help: "Where to write it (emptied first).")
        var out: String = "dist/student"

        func run() throws {
            try reportingErrors {
                let manifest = try root.manifest()
                let files = try trackedFiles(root: root.path)
                let check = ManifestCheck(root: root.path, manifest: manifest, files: files)
                let problems = check.regions().problems
                if !problems.isEmpty { throw GraderError(all: problems) }
                let written = try StudentEdition(root: root.path, manifest: manifest).write(files: files, to: root.absolute(out))
                say("student: wrote \(written.count) files to \(out)/ (\(check.regions().regions.count) solution regions stubbed, \(manifest.exercises.count) exercises; see \(out)/\(StudentEdition.readme))")
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
                let check = ManifestCheck(root: root.path, manifest: manifest, files: try trackedFiles(root: root.path))
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
            abstract: "Check that every exercise fails in the student edition and passes on the solution.")
        @OptionGroup var root: Root
        @Option(help: "Where to write the student edition.")
        var out: String = "dist/student"
        @Option(help: "The build folder of the solution edition (shared with make test).")
        var scratchPath: String = ".build"
        @Option(help: "The build folder of the student edition (kept, so reruns are incremental).")
        var studentScratchPath: String = ".build-student"
        @Option(help: "Seconds each exercise's tests may run.")
        var timeout: Double = 120

        func run() throws {
            try reportingErrors {
                let start = Date()
                let validation = Validation(
                    root: root.path, manifest: try root.manifest(), studentFolder: root.absolute(out),
                    teacherScratch: root.absolute(scratchPath), studentScratch: root.absolute(studentScratchPath),
                    timeout: timeout, swift: ProcessInfo.processInfo.environment["SWIFT"] ?? "swift")
                let problems = try validation.run(log: say)
                if !problems.isEmpty { throw GraderError(all: problems) }
                say("validate: every exercise fails in the student edition and passes on the solution (\(String(format: "%.0f", Date().timeIntervalSince(start))) s)")
            }
        }
    }
}
