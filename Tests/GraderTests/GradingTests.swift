import Foundation
import Testing
@testable import Grader

/// A teacher's file with two regions: ex01_1 in the middle of a function, ex01_2 a whole
/// function body (a lone expression, returned implicitly).
let teacherFile = """
    import MiniTorch

    func step() {
        let x = 1
        \(beginMarker("ex01_1"))
        secretStep(x)
        \(endMarker)
        print(x)
    }

    func loss() -> Float {
        \(beginMarker("ex01_2"))
        secretLoss()
        \(endMarker)
    }

    """

func stubbedTeacherFile() throws -> StubbedFile {
    try StubbedFile(teacherFile, file: "Sources/A.swift", manifest: sampleManifest())
}

/// The student edition's file with `first` and `second` in place of the two stubs.
func studentFile(_ first: [String], _ second: [String]) throws -> [String] {
    let s = try stubbedTeacherFile()
    let c = s.contexts
    return Array(c[0]) + first + Array(c[1]) + second + Array(c[2])
}

@Suite("Grader: reading a student's answers")
struct AnswerTests {
    @Test func answersLieBetweenTheStubsNeighbours() throws {
        let s = try stubbedTeacherFile()
        let lines = try studentFile(["    let y = x + 1", "    myStep(y)"], ["    2 * 0.5"])
        let spans = StudentAnswers.locate(student: lines, in: s)
        #expect(spans.map { Array(lines[$0]) } == [["    let y = x + 1", "    myStep(y)"], ["    2 * 0.5"]])
    }

    /// Braces in an answer look like the context after it; the whole block decides.
    @Test func anAnswerEndingInBracesIsNotCutShort() throws {
        let s = try stubbedTeacherFile()
        let answer = ["    for i in 0..<3 {", "        if i > 1 {", "            myStep(i)", "        }", "    }"]
        let lines = try studentFile(answer, ["    1"])
        #expect(StudentAnswers.locate(student: lines, in: s).map { Array(lines[$0]) } == [answer, ["    1"]])
    }

    /// Re-indented context and extra blank lines are still found; an edited context line (away
    /// from the answers) falls back to aligning the files, which still finds both answers.
    @Test func editsAroundTheAnswersAreTolerated() throws {
        let s = try stubbedTeacherFile()
        var lines = try studentFile(["myStep(x)", ""], ["  3"])
        lines = lines.map { $0.hasPrefix("    let x") ? "        let x = 1" : $0 }
        lines.insert("", at: 3)
        let spans = StudentAnswers.locateByBlocks(student: lines, contexts: s.contexts)
        #expect(spans?.map { Array(lines[$0]).filter { !$0.isEmpty } } == [["myStep(x)"], ["  3"]])
        var edited = try studentFile(["myStep(x)"], ["  3"])
        edited = edited.map { $0 == "import MiniTorch" ? "import MiniTorch  // Ada's copy" : $0 }
        #expect(StudentAnswers.locateByBlocks(student: edited, contexts: s.contexts) == nil)
        let aligned = StudentAnswers.locate(student: edited, in: s)
        #expect(aligned.map { Array(edited[$0]) } == [["myStep(x)"], ["  3"]])
    }

    @Test func answersAreReadFromAFolderMarkersDroppedAndMissingFilesNamed() throws {
        let folder = temporaryFolder(), empty = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder); try? FileManager.default.removeItem(atPath: empty) }
        // A copy of the teacher's own file answers with the markers around its code.
        writeFile(teacherFile, "\(folder)/Sources/A.swift")
        let answers = StudentAnswers.read(folder: folder, files: [try stubbedTeacherFile()])
        #expect(answers.answers["ex01_1"] == [Answer(exercise: "ex01_1", file: "Sources/A.swift", region: 0, lines: ["    secretStep(x)"], firstLine: 6)])
        #expect(answers.answers["ex01_2"]?.first?.lines == ["    secretLoss()"])
        let none = StudentAnswers.read(folder: empty, files: [try stubbedTeacherFile()])
        #expect(none.problems == ["ex01_1": "Sources/A.swift is missing from the submission", "ex01_2": "Sources/A.swift is missing from the submission"])
    }
}

@Suite("Grader: the grading tree")
struct GradingTreeTests {
    func tree(_ root: String) throws -> GradingTree {
        writeFile(teacherFile, "\(root)/Sources/A.swift")
        writeFile("public func exerciseNotSolved(_ id: String) -> Never { fatalError() }\n", "\(root)/Sources/MiniTorch/Exercise.swift")
        writeFile("struct Ex01_1 {}\n", "\(root)/Tests/ExerciseTests/Ex01_1.swift")
        writeFile("struct LessonTest {}\n", "\(root)/Tests/LessonTests/L.swift")
        return try GradingTree(teacherRoot: root, folder: root + "/tree", manifest: sampleManifest(),
                               files: ["Sources/A.swift", "Sources/MiniTorch/Exercise.swift", "Tests/ExerciseTests/Ex01_1.swift",
                                       "Tests/LessonTests/L.swift", ".build/x", "dist/student/y"])
    }

    @Test func everyVersionSitsBesideTheTeachersAndIsChosenWhenRun() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let t = try tree(root)
        let variants = ["ex01_1": [t.stubVariant(of: "ex01_1"), Variant(number: 2, regions: [["    myStep(x)"]])],
                        "ex01_2": [t.stubVariant(of: "ex01_2"), Variant(number: 2, regions: [["    2 * 0.5"]])]]
        let blocks = try t.write(variants: variants)
        let text = try #require(readFile("\(root)/tree/Sources/A.swift"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[4...6] == ["    if gradingVariant(\"ex01_1\") == 2 {", "    myStep(x)", "    } else if gradingVariant(\"ex01_1\") == 1 {"])
        #expect(text.contains("    } else {\n    secretStep(x)\n    }\n    print(x)"))
        // A whole body: each version is a closure called in place, except the stub's Never call.
        #expect(text.contains("    if gradingVariant(\"ex01_2\") == 2 {\n    return {\n    2 * 0.5\n    }()\n    } else if gradingVariant(\"ex01_2\") == 1 {"))
        #expect(text.contains("    } else {\n    return {\n    secretLoss()\n    }()\n    }\n}"))
        #expect(GradingTree.throwsErrors(["let y = try f()"]) && !GradingTree.throwsErrors(["let y = try? f()", "try! g()"]))
        let student = try #require(blocks.first { $0.exercise == "ex01_1" && $0.variant == 2 })
        #expect(student.lines == 5...6 && student.codeStart == 6 && lines[student.codeStart - 1] == "    myStep(x)")
        let loss = try #require(blocks.first { $0.exercise == "ex01_2" && $0.variant == 2 })
        #expect(lines[loss.codeStart - 1] == "    2 * 0.5")
        // The switch sits beside exerciseNotSolved; other test targets are left empty; build
        // output and editions stay out.
        #expect(readFile("\(root)/tree/Sources/MiniTorch/GradingVariant.swift")?.contains("GRADE_VARIANTS") == true)
        #expect(readFile("\(root)/tree/Tests/LessonTests/L.swift") == nil)
        #expect(readFile("\(root)/tree/Tests/LessonTests/Placeholder.swift") != nil)
        #expect(readFile("\(root)/tree/Tests/ExerciseTests/Ex01_1.swift") == "struct Ex01_1 {}\n")
        #expect(!FileManager.default.fileExists(atPath: "\(root)/tree/dist"))
    }

    /// Unchanged files keep their date, so the next build is incremental; stale ones go.
    @Test func rewritingTheTreeTouchesOnlyWhatChanged() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let t = try tree(root)
        try t.write(variants: [:])
        let test = "\(root)/tree/Tests/ExerciseTests/Ex01_1.swift", source = "\(root)/tree/Sources/A.swift"
        let old = Date(timeIntervalSince1970: 1_000_000)
        for path in [test, source] { try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path) }
        writeFile("stale\n", "\(root)/tree/Sources/Stale.swift")
        writeFile("kept\n", "\(root)/tree/.build/kept")
        try t.write(variants: ["ex01_1": [Variant(number: 2, regions: [["    myStep(x)"]])]])
        func date(_ path: String) -> Date? { try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date }
        #expect(date(test) == old)
        #expect(date(source) != old)
        #expect(readFile("\(root)/tree/Sources/Stale.swift") == nil)
        #expect(readFile("\(root)/tree/.build/kept") == "kept\n")
    }

    /// The tree compiles nothing with -O: the line it rewrites is the workbook's own.
    @Test func theTreeIsBuiltUnoptimised() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let manifest = try #require(readFile("\(root)/Package.swift"))
        let lines = manifest.split(separator: "\n").filter { $0.hasPrefix(GradingTree.optimisationLine) }
        #expect(lines.count == 1 && lines[0].contains("\"-O\""), "Package.swift should define optimizedInDebug with -O in one line")
        let tree = GradingTree.unoptimised(manifest)
        #expect(!tree.contains("\"-O\""))
        #expect(tree.contains(GradingTree.optimisationLine + "[]"))
        #expect(tree.split(separator: "\n", omittingEmptySubsequences: false).count == manifest.split(separator: "\n", omittingEmptySubsequences: false).count)
    }

    @Test func onlyFunctionAndClosureBodiesAreWrapped() {
        func wrapped(_ opener: String) -> Bool {
            let text = "\(opener)\n    \(beginMarker("ex01_1"))\n    x\n    \(endMarker)\n}\n"
            let region = try! SolutionRegion.find(in: text, file: "a.swift")[0]
            return GradingTree.isWholeBody(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init), region)
        }
        #expect(wrapped("func f() -> Int {"))
        #expect(wrapped("    out.recordBackward(\"sigmoid\", from: [self]) { g in"))
        #expect(!wrapped("for i in 0..<n {"))
        #expect(!wrapped("if x > 0 {"))
        #expect(!wrapped("} else {"))
        #expect(!wrapped("public init(x: Int) {"))
        #expect(!wrapped("case .tanh:"))
    }

    /// Students who wrote the same code share one version; the teacher's code and the stub are
    /// recognised whatever the indentation.
    @Test func distinctAnswersAreNumberedOnce() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let t = try tree(root)
        let grading = try Grading(teacherRoot: root, treeFolder: root + "/tree", manifest: sampleManifest(),
                                  files: t.files, timeout: 10)
        let stubs = t.stubbed[0].stub(1).map { "  " + $0 }
        for (name, first, second) in [("alice", ["myStep(x)"], ["1"]), ("bob", ["  myStep(x)"], stubs), ("carol", ["secretStep(x)"], ["2"])] {
            writeFile(try studentFile(first, second).joined(separator: "\n"), "\(root)/\(name)/Sources/A.swift")
        }
        let plan = grading.plan([Submission(name: "alice", folder: "\(root)/alice"), Submission(name: "bob", folder: "\(root)/bob"),
                                 Submission(name: "carol", folder: "\(root)/carol"), Submission(name: "dan", folder: "\(root)/nobody")])
        #expect(plan.choice[0] == ["ex01_1": 2, "ex01_2": 2])
        #expect(plan.choice[1] == ["ex01_1": 2, "ex01_2": Variant.stub])
        #expect(plan.choice[2] == ["ex01_1": Variant.teacher, "ex01_2": 3])
        #expect(plan.choice[3].isEmpty && plan.problems[3]["ex01_1"] == "\(root)/nobody is not a folder")
        #expect(plan.variants["ex01_1"]?.map(\.number) == [1, 2])
        #expect(plan.variants["ex01_2"]?.map(\.number) == [1, 2, 3])
    }
}

@Suite("Grader: compiler errors traced to the student's line")
struct CompilerErrorTests {
    let output = """
        [12/40] Compiling MiniTorch A.swift
        /tmp/tree/Sources/A.swift:6:9: error: cannot find 'myStepp' in scope
         4 |     let x = 1
         5 |     if gradingVariant("ex01_1") == 2 {
         6 |     myStepp(x)
           |     `- error: cannot find 'myStepp' in scope
         7 |     } else if gradingVariant("ex01_1") == 1 {
         8 |     secretStep(x)

        /tmp/tree/Sources/A.swift:20:5: warning: will never be executed
        /tmp/tree/Sources/A.swift:6:9: error: cannot find 'myStepp' in scope
        error: fatalError
        """

    @Test func errorsAreReadWithTheirExcerptOnce() {
        let errors = CompilerError.parse(output)
        #expect(errors.count == 1)
        #expect(errors[0].path == "/tmp/tree/Sources/A.swift" && errors[0].line == 6 && errors[0].column == 9)
        #expect(errors[0].message == "cannot find 'myStepp' in scope")
        #expect(errors[0].excerpt.count == 6)
    }

    /// The student sees their file and line and their own code only, never the lines around
    /// it in the tree (another student's answer, the teacher's solution).
    @Test func theTranslationShowsOnlyTheStudentsCode() throws {
        let error = CompilerError.parse(output)[0]
        let text = error.translated(file: "Sources/A.swift", shown: 6...6, shift: 6)
        #expect(text == """
            Sources/A.swift:12:9: error: cannot find 'myStepp' in scope
             12 |     myStepp(x)
                |     `- error: cannot find 'myStepp' in scope
            """)
        #expect(!text.contains("secretStep") && !text.contains("gradingVariant"))
        // Kept with where the answer sat, the error names every student's own line.
        let block = VariantBlock(file: "Sources/A.swift", exercise: "ex01_1", variant: 2, region: 0, lines: 5...6, codeStart: 6)
        let kept = AnswerError(error, block: block, lineCount: 1)
        let bob = Answer(exercise: "ex01_1", file: "Sources/A.swift", region: 0, lines: ["    myStepp(x)"], firstLine: 12)
        #expect(kept.message(for: bob) == text)
        #expect(try JSONDecoder().decode(AnswerError.self, from: JSONEncoder().encode(kept)) == kept)
        #expect(AnswerError(outside: error, region: 0).message(for: bob)
                == "Sources/A.swift:12: error: the compiler stopped just outside this answer, probably because of it: cannot find 'myStepp' in scope")
    }
}

@Suite("Grader: the gradebook")
struct GradebookTests {
    func report(_ name: String, _ earned: [Int]) -> GradeReport {
        let m = sampleManifest()
        return GradeReport(name: name, submission: "/s/\(name)", results: zip(m.exercises, earned).map { e, points in
            ExerciseResult(id: e.id, title: e.title, points: e.points, earned: points,
                           outcome: points == e.points ? .passed : .failed,
                           message: points == e.points ? "" : "step(): Ex01_1.swift:9:5: Expectation failed: (loss → 2.0) < 1.0\nother(): Ex01_1.swift:12:5: Expectation failed: ok", seconds: 1)
        })
    }

    @Test func oneRowAStudentOneColumnAnExercise() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Gradebook(manifest: sampleManifest(), reports: [report("alice", [2, 1]), report("bob", [0, 1])]).write(to: folder)
        #expect(readFile("\(folder)/gradebook.csv") == "student,ex01_1,ex01_2,total,possible\nalice,2,1,3,3\nbob,0,1,1,3\n")
        // Grading one student again keeps the others' rows.
        try Gradebook(manifest: sampleManifest(), reports: [report("bob", [2, 0])]).write(to: folder)
        #expect(readFile("\(folder)/gradebook.csv") == "student,ex01_1,ex01_2,total,possible\nalice,2,1,3,3\nbob,2,0,2,3\n")
        let feedback = try #require(readFile("\(folder)/bob-feedback.md"))
        #expect(feedback.hasPrefix("# bob: 2 / 3 points\n"))
        #expect(feedback.contains("## ex01_2: the \"stable\" loss (0 / 1, failed)"))
        #expect(feedback.contains("Expectation failed: (loss → 2.0) < 1.0\nother(): Ex01_1.swift:12:5: Expectation failed: ok"))
        #expect(feedback.contains("## Passed\n\nex01_1 (2)"))
        #expect(try JSONDecoder().decode(GradeReport.self, from: Data(readFile("\(folder)/alice.json")!.utf8)).earned == 3)
    }

    @Test func namesComeFromFoldersAndNeverCollide() {
        let named = Submission.named(folders: ["/a/alice", "/b/alice/", "/c/bob smith", "/d/.hidden"])
        #expect(named.map(\.name) == ["alice", "alice-2", "bob_smith", "submission.hidden"])
    }

    @Test func everyFailingExpectationIsKeptAndHiddenOnesStayHidden() {
        let output = """
            ✘ Test warmup() recorded an issue at Ex03_2.swift:10:9: Expectation failed: lr == 0.5
            ✘ Test secret() recorded an issue at Ex03_2Hidden.swift:20:9: Expectation failed: lr(at: 7) == 0.1234
            ✘ Test run with 3 tests in 2 suites failed after 0.02 seconds with 2 issues.
            """
        let (outcome, message) = TestRun.judge(ProcessResult(status: 1, timedOut: false, output: output, seconds: 1), timeout: 120)
        #expect(outcome == .failed)
        #expect(message == "warmup(): Ex03_2.swift:10:9: Expectation failed: lr == 0.5\nsecret(): a hidden test failed")
    }
}

@Suite("Grader: the student edition's own files and book")
struct StudentEditionTests {
    @Test func theEditionHasTheStudentsReadmeMakefileAndNoTeacherTests() throws {
        let root = temporaryFolder(), out = temporaryFolder() + "/student"
        defer { try? FileManager.default.removeItem(atPath: root); try? FileManager.default.removeItem(atPath: out) }
        var manifest = sampleManifest()
        manifest.exercises[1].buildsOn = ["ex01_1"]
        writeFile(teacherFile, "\(root)/Sources/A.swift")
        writeFile("struct LessonTest { check(secretLoss()) }\n", "\(root)/Tests/LessonTests/L.swift")
        writeFile("# teacher's guide\n", "\(root)/exercises/README.md")
        writeFile("test-extra: validate\n", "\(root)/mk/exercises.mk")
        let files = ["Sources/A.swift", "Tests/LessonTests/L.swift", "exercises/README.md", "mk/exercises.mk"]
        try StudentEdition(root: root, manifest: manifest).write(files: files, to: out)
        #expect(readFile("\(out)/Tests/LessonTests/L.swift") == nil)
        #expect(readFile("\(out)/Tests/LessonTests/Placeholder.swift")?.contains("make check EX=ex03_2") == true)
        #expect(readFile("\(out)/exercises/README.md") == nil && readFile("\(out)/mk/exercises.mk") == nil)
        #expect(readFile("\(out)/Makefile")?.contains("\ncheck: $(GRADE_TOOL)\n\t@if [ -z \"$(EX)\" ]") == true)
        #expect(readFile("\(out)/.ci/run")?.contains("make test") == true)
        #expect(FileManager.default.isExecutableFile(atPath: "\(out)/.ci/run"))
        let readme = try #require(readFile("\(out)/README.md"))
        #expect(readme.contains("| ex01_2 | the \"stable\" loss | 1 | ex01_1 | Lessons/01-x/chapter.md |"))
        #expect(readme.contains("make check EX=ex03_2") && readme.contains("book/html/index.html"))
        #expect(readFile("\(out)/Sources/A.swift")?.contains("// Its tests also run ex01_1: solve that first.") == true)
        // A second write keeps what did not change (the student's build stays incremental).
        let old = Date(timeIntervalSince1970: 1_000_000)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: "\(out)/Sources/A.swift")
        writeFile("kept\n", "\(out)/.build/x")
        try StudentEdition(root: root, manifest: manifest).write(files: files, to: out)
        #expect(try FileManager.default.attributesOfItem(atPath: "\(out)/Sources/A.swift")[.modificationDate] as? Date == old)
        #expect(readFile("\(out)/.build/x") == "kept\n")
    }

    /// The book's code is split into highlighted spans; the leak check reads the text a reader
    /// sees, so a solution line in the book is found.
    @Test func aSolutionLineInTheBookIsFound() throws {
        let root = temporaryFolder(), out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root); try? FileManager.default.removeItem(atPath: out) }
        writeFile(teacherFile, "\(root)/Sources/A.swift")
        let html = ##"<pre><code><span id="cb1-1"><a href="#cb1-1"></a>    <span class="fu">secretStep</span>(x)</span>"##
            + "\n" + ##"<span id="cb1-2">x &lt; y &amp;&amp; z</span></code></pre>"##
        #expect(StudentBook.text(ofHTML: html) == "    secretStep(x)\nx < y && z")
        writeFile("<html><body><p>clean</p></body></html>\n", "\(out)/book/html/index.html")
        let regions = try SolutionRegion.find(in: teacherFile, file: "Sources/A.swift")
        let check = { try Validation.leaks(teacherRoot: root, files: ["Sources/A.swift"], regions: regions, manifest: sampleManifest(), studentFolder: out) }
        #expect(try check() == [])
        writeFile(html, "\(out)/book/html/01-x.html")
        #expect(try check() == ["\(out)/book/html/01-x.html: holds a line of solution ex01_1 (Sources/A.swift:5): secretStep(x)"])
    }
}
