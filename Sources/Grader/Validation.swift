import Foundation

/// `make validate-exercises`: the whole flow, checked, in one build of each edition (the two
/// built at the same time).
///
/// The manifest matches code, tests and chapters; the student edition (and its book, when the
/// teacher's book has been built) holds no solution line and no hidden test; it builds, and its
/// own `.ci/run` passes on the untouched stubs with 0 points. Meanwhile one grading tree holds three
/// fabricated submissions (every answer the teacher's, half of them, and half with a syntax
/// error and a type error in two answers) and checks, exercise by exercise: the teacher's code
/// passes, the stub fails, a compile error costs only its exercise and is named at the
/// student's line, and each exercise passes with every other one unsolved except those its
/// `buildsOn` names (no hidden coupling between exercises).
public struct Validation {
    public let root: String
    public let manifest: Manifest
    public let studentFolder: String
    /// The grading tree's folder (shared with make grade, so its build is reused).
    public let treeFolder: String
    /// The `book` tool, to write the student book (nil: no book, e.g. before make book).
    public let bookTool: String?
    public let timeout: Double
    public let swift: String

    public init(root: String, manifest: Manifest, studentFolder: String, treeFolder: String,
                bookTool: String?, timeout: Double = 120, swift: String = "swift") {
        self.root = root
        self.manifest = manifest
        self.studentFolder = studentFolder
        self.treeFolder = treeFolder
        self.bookTool = bookTool
        self.timeout = timeout
        self.swift = swift
    }

    /// Runs every check, printing progress through `log`; returns the problems (empty: valid).
    public func run(log: (String) -> Void) throws -> [String] {
        let files = try workbookFiles(root: root)
        let check = ManifestCheck(root: root, manifest: manifest, files: files)
        var problems = check.staticProblems()
        if !problems.isEmpty { return problems }
        log("validate: the manifest lists \(manifest.exercises.count) exercises (\(manifest.totalPoints) points); regions, suites and chapters match")

        var start = Date()
        try StudentEdition(root: root, manifest: manifest).write(files: files, to: studentFolder)
        if let bookTool {
            try StudentBook(teacherRoot: root, edition: studentFolder, bookTool: bookTool).write()
            log("validate: wrote the student book in \(seconds(since: start))")
        } else {
            log("validate: no teacher's book yet (make book): the student book is not checked")
        }
        let leaks = try Self.leaks(teacherRoot: root, files: files, regions: check.regions().regions,
                                   manifest: manifest, studentFolder: studentFolder)
        if !leaks.isEmpty { return leaks }
        log("validate: wrote \(studentFolder); no solution line, marker or hidden test in it\(bookTool == nil ? "" : " or in its book")")

        // The student edition's .ci/run (its own builds, then its score) and the grading tree's
        // build share nothing: they run at the same time, so each fills the cores the other
        // leaves idle (while it links, or waits on a module the rest needs), and the tests wait
        // for both.
        let ciStart = Date()
        let edition = studentFolder
        // Its make starts as a learner's would, not as a job of the make that runs this one.
        let ciRun = InBackground { try runProcess(["\(edition)/.ci/run"], in: edition, environment: ["MAKEFLAGS": "", "MFLAGS": "", "MAKELEVEL": ""]) }
        let grading: Grading, fabricated: Fabricated, plan: Grading.Plan
        do {
            grading = try Grading(teacherRoot: root, treeFolder: treeFolder, manifest: manifest, files: files, timeout: timeout, swift: swift)
            let contents = try StudentEdition(root: root, manifest: manifest).contents(files: files)
            fabricated = try Fabricated(grading: grading, edition: contents, folder: treeFolder + "-submissions")
            var built = grading.plan(fabricated.submissions)
            start = Date()
            try grading.build(&built, submissions: fabricated.submissions, log: log)
            plan = built
        } catch {
            _ = try? ciRun.wait()
            throw error
        }
        let ci = try ciRun.wait()
        let score = ci.output.split(separator: "\n").last { $0.hasPrefix("score: ") }.map(String.init)
        if ci.status != 0 || score != "score: 0 / \(manifest.totalPoints) points" {
            return ["the student edition's .ci/run should pass with 0 points on the stubs; it exited \(ci.status): \(score ?? String(ci.output.suffix(1500)))"]
        }
        log("validate: the student edition builds and its .ci/run passes with \(score!) (\(seconds(since: ciStart)))")
        problems += fabricated.checkCompileErrors(plan)
        var cache: [String: ExerciseResult] = [:]
        func key(_ variants: [String: Int]) -> String {
            variants.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        }
        func run(_ e: Exercise, _ variants: [String: Int]) -> ExerciseResult {
            if let hit = cache[key(variants)] { return hit }
            let result = grading.run(e, variants: variants)
            cache[key(variants)] = result
            return result
        }
        /// Runs what the cache does not hold yet, a test process per core at a time.
        func runAll(_ jobs: [(Exercise, [String: Int])]) {
            let missing = jobs.filter { cache[key($0.1)] == nil }
            for (job, result) in zip(missing, grading.run(missing)) { cache[key(job.1)] = result }
        }
        func alone(_ e: Exercise) -> [String: Int] {
            var variants = [String: Int](uniqueKeysWithValues: manifest.exercises.map { ($0.id, Variant.stub) })
            variants[e.id] = Variant.teacher
            for other in e.buildsOn { variants[other] = Variant.teacher }
            return variants
        }
        // Solved alone first: when an exercise's tests pass with every other exercise unsolved,
        // they pass with the others solved too (a test cannot need another exercise's stub), so
        // the run with everything solved is only made when this one fails.
        runAll(manifest.exercises.map { ($0, alone($0)) })
        for e in manifest.exercises where cache[key(alone(e))]!.outcome == .passed {
            cache[key([e.id: Variant.teacher])] = cache[key(alone(e))]
        }
        runAll(manifest.exercises.flatMap { [($0, [$0.id: Variant.teacher]), ($0, [$0.id: Variant.stub])] })
        for e in manifest.exercises {
            let coupled = run(e, alone(e))
            let solved = run(e, [e.id: Variant.teacher])
            let stub = run(e, [e.id: Variant.stub])
            log("validate: \(e.id): solution \(solved.outcome.rawValue), stub \(stub.outcome.rawValue), solved alone\(e.buildsOn.isEmpty ? "" : " (with \(e.buildsOn.joined(separator: ", ")))") \(coupled.outcome.rawValue)")
            if solved.outcome != .passed {
                problems.append("\(e.id): its tests do not pass on the solution: \(solved.outcome.rawValue): \(solved.message)")
            }
            if stub.outcome == .passed {
                problems.append("\(e.id): its tests pass on the stub: they cannot tell a solution from the stub")
            } else if stub.outcome != .failed {
                problems.append("\(e.id): on the stub its tests should fail, not: \(stub.outcome.rawValue): \(stub.message)")
            }
            if solved.outcome == .passed && coupled.outcome != .passed {
                problems.append("\(e.id): its tests fail when it is solved and the other exercises are not (\(coupled.message.split(separator: "\n").first ?? "")): list the exercise it needs under buildsOn in \(Manifest.path)")
            }
        }
        for (s, submission) in fabricated.submissions.enumerated() {
            for e in manifest.exercises {
                let got: Outcome
                if plan.problems[s][e.id] != nil { got = .notBuilt } else { got = cache["\(e.id)=\(plan.choice[s][e.id] ?? Variant.stub)"]?.outcome ?? run(e, [e.id: plan.choice[s][e.id] ?? Variant.stub]).outcome }
                let want = fabricated.expected[s][e.id]!
                if (got == .passed) != (want == .passed) || (want == .notBuilt) != (got == .notBuilt) {
                    problems.append("fabricated submission \(submission.name): \(e.id) should be \(want.rawValue), is \(got.rawValue)")
                }
            }
        }
        log("validate: graded the fabricated submissions (perfect, partial, broken) and every exercise alone in \(seconds(since: start))")
        return problems
    }

    /// The student book alone, for `make test`, whose validation runs beside the Swift tests,
    /// before the book exists: written into the edition that validation wrote, then the edition
    /// and its book checked again for anything of the solutions.
    public func runBook(log: (String) -> Void) throws -> [String] {
        guard let bookTool else { throw GraderError("the student book needs the book tool (--book-tool)") }
        guard FileManager.default.fileExists(atPath: studentFolder + "/Package.swift") else {
            throw GraderError("no student edition in \(studentFolder): run make validate-exercises first")
        }
        let files = try workbookFiles(root: root)
        let regions = ManifestCheck(root: root, manifest: manifest, files: files).regions().regions
        let start = Date()
        try StudentBook(teacherRoot: root, edition: studentFolder, bookTool: bookTool).write()
        let leaks = try Self.leaks(teacherRoot: root, files: files, regions: regions, manifest: manifest, studentFolder: studentFolder)
        if leaks.isEmpty { log("validate: wrote the student book in \(seconds(since: start)); no solution line, marker or hidden test in it") }
        return leaks
    }

    func seconds(since start: Date) -> String { String(format: "%.0f s", Date().timeIntervalSince(start)) }

    /// What of the teacher's edition shows through in the student edition (its book included):
    /// a solution marker, a line that only a solution region holds, a hidden test file or a
    /// hidden suite's name.
    public static func leaks(teacherRoot: String, files: [String], regions: [SolutionRegion],
                             manifest: Manifest, studentFolder: String) throws -> [String] {
        var problems: [String] = []
        let fm = FileManager.default
        let studentFiles = (fm.enumerator(atPath: studentFolder)?.allObjects as? [String] ?? [])
            .filter { !$0.split(separator: "/").contains(where: { $0.hasPrefix(".build") }) }
        var studentLines: [String: String] = [:]   // trimmed line -> first file holding it
        let hiddenNames = manifest.exercises.flatMap(\.hiddenTests)
        for file in studentFiles {
            if file.hasPrefix(Manifest.hiddenFolder) { problems.append("\(studentFolder)/\(file): hidden tests must not be handed out") }
            guard var text = try? String(contentsOfFile: "\(studentFolder)/\(file)", encoding: .utf8) else { continue }
            // The book: the text its reader sees (code excerpts are split into highlighted spans).
            if file.hasSuffix(".html") { text = StudentBook.text(ofHTML: text) }
            if file.hasSuffix(".swift") {
                do {
                    for region in try SolutionRegion.find(in: text, file: file) {
                        problems.append("\(studentFolder)/\(file):\(region.begin): solution region \(region.id) was not removed")
                    }
                } catch {
                    problems.append("\(studentFolder)/\(error)")
                }
            }
            for name in hiddenNames where text.contains(name) {
                problems.append("\(studentFolder)/\(file): names the hidden suite \(name)")
            }
            for line in text.split(separator: "\n") {
                let t = line.trimmingWhitespace()
                if studentLines[t] == nil { studentLines[t] = file }
            }
        }
        // Lines outside every region in the teacher's files may legitimately appear.
        var outside: Set<String> = []
        for file in files where !StudentEdition.isExcluded(file) {
            guard let text = try? String(contentsOfFile: "\(teacherRoot)/\(file)", encoding: .utf8) else { continue }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let mine = regions.filter { $0.file == file }
            for (index, line) in lines.enumerated() where !mine.contains(where: { $0.begin <= index + 1 && index + 1 <= $0.end }) {
                outside.insert(line.trimmingWhitespace())
            }
        }
        for region in regions {
            for line in region.body {
                let t = line.trimmingWhitespace()
                guard t.count >= 8, !outside.contains(t), let file = studentLines[t] else { continue }
                problems.append("\(studentFolder)/\(file): holds a line of solution \(region.id) (\(region.file):\(region.begin)): \(t)")
            }
        }
        return problems
    }
}

/// Work started on another thread at once; `wait()` gives its result (or throws its error).
final class InBackground<T: Sendable>: @unchecked Sendable {
    private var result: Result<T, any Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws -> T) {
        DispatchQueue.global().async {
            self.result = Result { try work() }
            self.done.signal()
        }
    }

    func wait() throws -> T {
        done.wait()
        done.signal()   // a second wait returns at once
        return try result!.get()
    }
}
