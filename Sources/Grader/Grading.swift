import Foundation

/// A student's folder to grade, and the name the gradebook gives it.
public struct Submission: Equatable, Sendable {
    public let name: String
    public let folder: String

    public init(name: String, folder: String) {
        self.name = name
        self.folder = folder
    }

    /// One submission per folder, named after it (`submissions/alice` -> alice); two folders of
    /// the same name get `-2`, `-3` so no report overwrites another.
    public static func named(folders: [String]) -> [Submission] {
        var seen: [String: Int] = [:]
        return folders.map { folder in
            let base = URL(fileURLWithPath: folder).standardizedFileURL.lastPathComponent
            let clean = String(base.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
            let name = clean.isEmpty || clean.hasPrefix(".") ? "submission" + clean : clean
            seen[name, default: 0] += 1
            return Submission(name: seen[name]! == 1 ? name : "\(name)-\(seen[name]!)", folder: folder)
        }
    }
}

/// `make grade`: grades a class in one build.
///
/// Every submission's answers go into one grading tree (`GradingTree`) as variants of each
/// exercise's code, beside the teacher's solution. The tree is built once; a compiler error is
/// traced to the answer that holds it, which is taken out (that exercise scores 0 for the students
/// who wrote it, with the error at their file and line), and the tree is built again, which is
/// incremental. Then each exercise runs in a process of its own once per distinct answer, with
/// every other exercise at the teacher's solution: a compile error, a trap or an endless loop
/// costs one exercise, and no exercise depends on another's answer.
public struct Grading: Sendable {
    public let manifest: Manifest
    public let tree: GradingTree
    /// Seconds each exercise's process may take.
    public let timeout: Double
    /// The `swift` command.
    public let swift: String

    public init(teacherRoot: String, treeFolder: String, manifest: Manifest, files: [String],
                timeout: Double = 120, swift: String = "swift") throws {
        self.manifest = manifest
        self.tree = try GradingTree(teacherRoot: teacherRoot, folder: treeFolder, manifest: manifest, files: files)
        self.timeout = timeout
        self.swift = swift
    }

    /// Which variant of each exercise every submission runs, and what could not be graded.
    public struct Plan: Sendable {
        public var variants: [String: [Variant]] = [:]
        /// choice[s][exercise]: the variant submission s runs (absent: not gradable, see problems).
        public var choice: [[String: Int]] = []
        /// problems[s][exercise]: why it scores 0 without running.
        public var problems: [[String: String]] = []
        public var answers: [StudentAnswers] = []
    }

    /// Reads every submission's answers and numbers the distinct ones. The stub is always there
    /// (variant 1), so a validation can run any exercise unsolved.
    public func plan(_ submissions: [Submission]) -> Plan {
        var plan = Plan()
        for e in manifest.exercises { plan.variants[e.id] = [tree.stubVariant(of: e.id)] }
        for submission in submissions {
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: submission.folder, isDirectory: &isFolder) && isFolder.boolValue
            let answers = exists ? StudentAnswers.read(folder: submission.folder, files: tree.stubbed) : StudentAnswers()
            var choice: [String: Int] = [:], problems: [String: String] = [:]
            for e in manifest.exercises {
                if !exists { problems[e.id] = "\(submission.folder) is not a folder"; continue }
                if let problem = answers.problems[e.id] { problems[e.id] = problem; continue }
                let code = (answers.answers[e.id] ?? []).map(\.lines)
                guard code.count == tree.regions(of: e.id).count else {
                    problems[e.id] = "the answer's regions could not be found"; continue
                }
                if GradingTree.sameCode(code, tree.teacherVariant(of: e.id).regions) { choice[e.id] = Variant.teacher; continue }
                var list = plan.variants[e.id]!
                if let same = list.first(where: { GradingTree.sameCode($0.regions, code) }) {
                    choice[e.id] = same.number
                } else {
                    let number = (list.map(\.number).max() ?? 1) + 1
                    list.append(Variant(number: number, regions: code))
                    plan.variants[e.id] = list
                    choice[e.id] = number
                }
            }
            plan.choice.append(choice)
            plan.problems.append(problems)
            plan.answers.append(answers)
        }
        return plan
    }

    /// The build command: the workbook's one configuration (debug, testable imports on; in the
    /// tree nothing is optimised, see `GradingTree.unoptimised`), only the test product and what it needs,
    /// not the lessons' executables and the tools, which grading never runs. Debug builds file by
    /// file on every core, so the rebuild after an answer that does not compile is taken out
    /// redoes that file and what uses it, not whole modules as a release build would.
    public func buildCommand(testProduct: String) -> [String] {
        [swift, "build", "--product", testProduct, "--scratch-path", tree.folder + "/.build"]
    }

    /// The tree's test product, `<package name>PackageTests`, named by its manifest.
    func testProduct() throws -> String {
        try Self.testProduct(of: tree.folder, swift: swift)
    }

    /// The test product of the package in `folder`, `<package name>PackageTests`, named by its manifest.
    static func testProduct(of folder: String, swift: String) throws -> String {
        struct Named: Decodable { let name: String }
        let result = try runProcess([swift, "package", "--scratch-path", folder + "/.build", "dump-package"], in: folder)
        guard result.status == 0, let brace = result.output.firstIndex(of: "{"),
              let package = try? JSONDecoder().decode(Named.self, from: Data(result.output[brace...].utf8)) else {
            throw GraderError("swift package dump-package failed in \(folder):\n\(result.output.suffix(1500))")
        }
        return package.name + "PackageTests"
    }

    /// Writes the tree and builds it until it builds: answers that do not compile are taken out,
    /// and their submissions get the error. Errors outside every student's answer mean the
    /// teacher's own code does not build, and throw. Answers found not to compile are remembered
    /// (in the tree's build folder, keyed by the teacher's files and the answer), so grading them
    /// again starts without them: the tree's text, and so its build, stays as it was.
    public func build(_ plan: inout Plan, submissions: [Submission], log: (String) -> Void) throws {
        let cacheFile = tree.folder + "/.build/grading-known-errors.json"
        var known = (FileManager.default.contents(atPath: cacheFile)).flatMap { try? JSONDecoder().decode([String: AnswerError].self, from: $0) } ?? [:]
        func take(_ exercise: String, _ variant: Int, _ error: AnswerError) {
            for s in submissions.indices where plan.choice[s][exercise] == variant {
                let answer = plan.answers[s].answers[exercise]
                plan.problems[s][exercise] = error.message(for: answer.flatMap { error.region < $0.count ? $0[error.region] : nil })
                plan.choice[s][exercise] = nil
            }
            plan.variants[exercise]?.removeAll { $0.number == variant }
        }
        let fingerprint = tree.fingerprint
        func key(_ exercise: String, _ variant: Int) -> String? {
            plan.variants[exercise]?.first { $0.number == variant }.map { fnv1a(fingerprint + exercise + "\n" + $0.regions.map { $0.joined(separator: "\n") }.joined(separator: "\n--\n")) }
        }
        for (exercise, list) in plan.variants {
            for variant in list where variant.number > Variant.stub {
                if let k = key(exercise, variant.number), let error = known[k] { take(exercise, variant.number, error) }
            }
        }
        var command: [String]?
        var builds = 0
        for _ in 1...12 {
            let blocks = try tree.write(variants: plan.variants)
            // Syntax errors first: parsing the files that hold answers takes a fraction of a second,
            // while a build meets a syntax error only after compiling much of what it can (a whole
            // round of the package's build, for an answer in MiniTorch).
            let answerFiles = Set(blocks.filter { $0.variant > Variant.stub }.map(\.file)).sorted()
            var stage = "a parse of the answers' files"
            var result = answerFiles.isEmpty ? nil : try runProcess(parseCommand(answerFiles), in: tree.folder)
            var (found, foreign) = result.map { attribute(CompilerError.parse($0.output), blocks: blocks, plan: plan) } ?? ([], [])
            if found.isEmpty {   // it parses (an error outside every answer is the build's to report)
                if command == nil { command = buildCommand(testProduct: try testProduct()) }
                let built = try runProcess(command!, in: tree.folder)
                builds += 1
                if built.status == 0 {
                    log("grade: built the grading tree in \(String(format: "%.0f", built.seconds)) s\(builds > 1 ? " (build \(builds))" : "")")
                    if let data = try? JSONEncoder().encode(known) { try? data.write(to: URL(fileURLWithPath: cacheFile), options: .atomic) }
                    return
                }
                result = built
                stage = "build \(builds)"
                (found, foreign) = attribute(CompilerError.parse(built.output), blocks: blocks, plan: plan)
                if found.isEmpty {
                    let shown = foreign.first.map { ([("\($0.path):\($0.line):\($0.column): error: \($0.message)")] + $0.excerpt).joined(separator: "\n") }
                        ?? String(built.output.suffix(1500))
                    throw GraderError("the grading tree (\(tree.folder)) does not build, and not because of a student's answer:\n\(shown)")
                }
            }
            var taken = 0
            for item in found where plan.variants[item.exercise]?.contains(where: { $0.number == item.variant }) == true {
                if let k = key(item.exercise, item.variant) { known[k] = item.error }
                take(item.exercise, item.variant, item.error)
                taken += 1
            }
            log("grade: \(stage) failed after \(String(format: "%.0f", result?.seconds ?? 0)) s on \(taken) answer(s) that do not compile; building without them")
        }
        throw GraderError("the grading tree still does not build after 12 rounds")
    }

    /// `swiftc -parse` on the tree's files that hold answers: syntax errors only, no build.
    func parseCommand(_ files: [String]) -> [String] {
        let swiftc = swift.hasSuffix("swift") ? swift + "c" : "swiftc"   // the driver beside `swift`
        return [swiftc, "-parse"] + files.map { tree.folder + "/" + $0 }
    }

    /// The compiler's errors, each put down to the answer that caused it (`found`) or to none
    /// (`foreign`: the teacher's code, or a stub).
    func attribute(_ errors: [CompilerError], blocks: [VariantBlock], plan: Plan)
        -> (found: [(exercise: String, variant: Int, error: AnswerError)], foreign: [CompilerError]) {
        var found: [(exercise: String, variant: Int, error: AnswerError)] = []
        var foreign: [CompilerError] = []
        let prefix = tree.folder.hasSuffix("/") ? tree.folder : tree.folder + "/"
        for error in errors {
            let file = error.path.hasPrefix(prefix) ? String(error.path.dropFirst(prefix.count)) : error.path
            if let block = blocks.first(where: { $0.file == file && $0.lines.contains(error.line) }) {
                guard block.variant > Variant.stub else { foreign.append(error); continue }
                let count = plan.variants[block.exercise]?.first { $0.number == block.variant }?.regions[block.region].count ?? 1
                found.append((block.exercise, block.variant, AnswerError(error, block: block, lineCount: count)))
                continue
            }
            // Just outside every answer (a `try` that makes an enclosing call throw, say): the
            // answers of the nearest region in the file caused it.
            let students = blocks.filter { $0.file == file && $0.variant > Variant.stub }
            guard let nearest = students.min(by: { Self.distance($0.lines, error.line) < Self.distance($1.lines, error.line) }) else {
                foreign.append(error); continue
            }
            for block in students where block.exercise == nearest.exercise && block.region == nearest.region {
                found.append((block.exercise, block.variant, AnswerError(outside: error, region: block.region)))
            }
        }
        return (found, foreign)
    }

    static func distance(_ lines: ClosedRange<Int>, _ line: Int) -> Int {
        lines.contains(line) ? 0 : min(abs(lines.lowerBound - line), abs(lines.upperBound - line))
    }

    /// The built test executable (Linux: `<Package>PackageTests.xctest`, a plain executable).
    public func testBinary() -> String? {
        let folder = "\(tree.folder)/.build/debug"
        let items = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return items.first { $0.hasSuffix("PackageTests.xctest") }.map { "\(folder)/\($0)" }
    }

    /// Runs one exercise's tests (hidden ones included) with `variants` chosen (exercises not
    /// named run the teacher's code).
    public func run(_ exercise: Exercise, variants: [String: Int]) -> ExerciseResult {
        guard let binary = testBinary() else {
            return ExerciseResult(id: exercise.id, title: exercise.title, points: exercise.points, earned: 0,
                                  outcome: .notBuilt, message: "no test executable in \(tree.folder)/.build/debug", seconds: 0)
        }
        let setting = variants.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        do {
            let process = try runProcess([binary, "--testing-library", "swift-testing", "--filter", exercise.filter(includingHidden: true)],
                                         in: tree.folder, timeout: timeout,
                                         environment: ["NO_COLOR": "1", GradingTree.environmentKey: setting])
            return TestRun.result(of: exercise, process: process, timeout: timeout)
        } catch {
            return ExerciseResult(id: exercise.id, title: exercise.title, points: exercise.points, earned: 0,
                                  outcome: .failed, message: "\(error)", seconds: 0)
        }
    }

    /// Runs several exercises' tests, as many processes at a time as the machine has cores
    /// (each test process runs on one BLAS thread); the results in the order of `jobs`.
    public func run(_ jobs: [(Exercise, [String: Int])]) -> [ExerciseResult] {
        let results = ResultSlots(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            results[i] = run(jobs[i].0, variants: jobs[i].1)
        }
        return results.values.map { $0! }
    }

    /// Grades every submission: one build, then each exercise once per distinct answer.
    public func grade(_ submissions: [Submission], only: [String] = [], log: (String) -> Void = { _ in }) throws -> [GradeReport] {
        var plan = plan(submissions)
        let distinct = plan.variants.values.reduce(0) { $0 + $1.count - 1 }
        log("grade: \(submissions.count) submission(s), \(distinct) distinct answer(s) besides the stubs; building the grading tree ...")
        try build(&plan, submissions: submissions, log: log)
        let exercises = manifest.exercises.filter { only.isEmpty || only.contains($0.id) }
        var cache: [String: ExerciseResult] = [:]
        // Every distinct answer once, a process per core at a time.
        var jobs: [(Exercise, [String: Int])] = [], keys: [String] = []
        for s in submissions.indices {
            for e in exercises where plan.problems[s][e.id] == nil {
                let variant = plan.choice[s][e.id] ?? Variant.stub
                if !keys.contains("\(e.id)=\(variant)") { keys.append("\(e.id)=\(variant)"); jobs.append((e, [e.id: variant])) }
            }
        }
        for ((key, job), result) in zip(zip(keys, jobs), run(jobs)) {
            cache[key] = result
            log("grade: \(job.0.id) answer \(job.1[job.0.id]!) \(result.outcome.rawValue) (\(String(format: "%.1f", result.seconds)) s)")
        }
        var reports: [GradeReport] = []
        for (s, submission) in submissions.enumerated() {
            var results: [ExerciseResult] = []
            for e in exercises {
                if let problem = plan.problems[s][e.id] {
                    results.append(ExerciseResult(id: e.id, title: e.title, points: e.points, earned: 0,
                                                  outcome: .notBuilt, message: problem, seconds: 0))
                    continue
                }
                let variant = plan.choice[s][e.id] ?? Variant.stub
                results.append(cache["\(e.id)=\(variant)"]!)
            }
            let report = GradeReport(name: submission.name, submission: submission.folder, results: results)
            log("grade: \(submission.name): \(report.earned) / \(report.possible)")
            reports.append(report)
        }
        return reports
    }
}

/// Results written by concurrent test runs, one slot each.
final class ResultSlots: @unchecked Sendable {
    private var slots: [ExerciseResult?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    subscript(i: Int) -> ExerciseResult? {
        get { lock.withLock { slots[i] } }
        set { lock.withLock { slots[i] = newValue } }
    }
    var values: [ExerciseResult?] { lock.withLock { slots } }
}
