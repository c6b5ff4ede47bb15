import Foundation
import Testing
@testable import Grader

@Suite("Grader: solution regions and their stubs")
struct StripTests {
    let manifest = sampleManifest()

    @Test func regionsAreFoundWithTheirLines() throws {
        let text = """
        func f() {
            \(beginMarker("ex01_1"))
            let a = 1
            return a
            \(endMarker)
        }
        """
        let regions = try SolutionRegion.find(in: text, file: "Sources/A.swift")
        #expect(regions == [SolutionRegion(id: "ex01_1", file: "Sources/A.swift", begin: 2, end: 5,
                                           indentation: "    ", body: ["    let a = 1", "    return a"])])
    }

    @Test func everyRegionBecomesItsStubAndTheRestIsKept() throws {
        let text = """
        import Foundation

        /// Doc comments may show \(beginMarker("ex09_9")) without being a region.
        func f(_ x: Float) -> Float {
            let y = x + 1
            \(beginMarker("ex01_1"))
            let z = y * 2
            return z
            \(endMarker) ex01_1
        }

        func g() -> [Int] {
        \t[1, 2].map { v in
        \t\t\(beginMarker("ex01_2"))
        \t\tv * 2
        \t\t\(endMarker)
        \t}
        }

        func h() {
                \(beginMarker("ex01_2"))
                print("second region of the same exercise")
                \(endMarker)
        }
        """
        let stripped = try Stub.strip(text, file: "Sources/A.swift", manifest: manifest)
        let stub1 = #"exerciseNotSolved("ex01_1", "the training step", chapter: "Lessons/01-x/chapter.md", file: "Sources/A.swift")"#
        let stub2 = #"exerciseNotSolved("ex01_2", "the \"stable\" loss", chapter: "Lessons/01-x/chapter.md", file: "Sources/A.swift")"#
        #expect(stripped == """
        import Foundation

        /// Doc comments may show \(beginMarker("ex09_9")) without being a region.
        func f(_ x: Float) -> Float {
            let y = x + 1
            // EXERCISE ex01_1: the training step. Replace the next line with your code.
            // Read Lessons/01-x/chapter.md. Hint: call backward first
            \(stub1)
        }

        func g() -> [Int] {
        \t[1, 2].map { v in
        \t\t// EXERCISE ex01_2: the "stable" loss. Replace the next line with your code.
        \t\t// Read Lessons/01-x/chapter.md. Hint: subtract the max
        \t\t\(stub2)
        \t}
        }

        func h() {
                // EXERCISE ex01_2: the "stable" loss. Replace the next line with your code.
                // Read Lessons/01-x/chapter.md. Hint: subtract the max
                \(stub2)
        }
        """)
        #expect(try SolutionRegion.find(in: stripped, file: "Sources/A.swift").isEmpty)
    }

    @Test func aFileWithoutRegionsIsUnchanged() throws {
        let text = "let beginMarker = \"// BEGIN SOLUTION\"\n// a comment about SOLUTIONS\n"
        #expect(try Stub.strip(text, file: "x.swift", manifest: manifest) == text)
    }

    @Test func malformedMarkersAreErrorsWithTheirLine() {
        let cases: [(String, String)] = [
            ("a\n\(beginMarker("ex01_1"))\nb\n\(beginMarker("ex01_2"))\nc\n\(endMarker)\n\(endMarker)\n",
             "x.swift:4: BEGIN SOLUTION ex01_2 inside ex01_1 (opened at line 2): regions cannot nest"),
            ("\(beginMarker("ex01_1"))\nb\n", "x.swift:1: BEGIN SOLUTION ex01_1 is never closed by // END SOLUTION"),
            ("a\n\(endMarker)\n", "x.swift:2: END SOLUTION without a BEGIN SOLUTION before it"),
            ("\(beginMarker(""))\n\(endMarker)\n", "x.swift:1: '// BEGIN SOLUTION' needs an exercise id such as ex03_2"),
            ("\(beginMarker("ex01_1"))\nb\n\(endMarker) ex01_2\n", "x.swift:3: END SOLUTION ex01_2 closes ex01_1 (opened at line 1)"),
            ("// BEGIN SOLUTIONS ex01_1\n",
             "x.swift:1: '// BEGIN SOLUTIONS ex01_1' needs an exercise id such as ex03_2"),
            ("    //BEGIN SOLUTION ex01_1\n",
             "x.swift:1: '//BEGIN SOLUTION ex01_1' is not a solution marker; write '// BEGIN SOLUTION ex03_2' or '// END SOLUTION' on a line of its own"),
        ]
        for (text, message) in cases {
            #expect(throws: GraderError(message)) { try SolutionRegion.find(in: text, file: "x.swift") }
        }
    }

    @Test func aRegionOfAnUnknownExerciseIsAnError() {
        let text = "\(beginMarker("ex05_1"))\nx\n\(endMarker)\n"
        #expect(throws: GraderError("y.swift:1: BEGIN SOLUTION ex05_1: no exercise ex05_1 in exercises/manifest.json")) {
            try Stub.strip(text, file: "y.swift", manifest: manifest)
        }
    }

    @Test func studentEditionDropsHiddenTestsAndSolutions() throws {
        let root = temporaryFolder(), out = temporaryFolder() + "/student"
        defer { try? FileManager.default.removeItem(atPath: root); try? FileManager.default.removeItem(atPath: out) }
        writeFile("func f() {\n    \(beginMarker("ex01_1"))\n    secretStep()\n    \(endMarker)\n}\n", "\(root)/Sources/A.swift")
        writeFile("struct Ex01_1 {}\n", "\(root)/Tests/ExerciseTests/Ex01_1.swift")
        writeFile("struct Ex01_1Hidden {}\n", "\(root)/Tests/ExerciseTests/Hidden/Ex01_1Hidden.swift")
        writeFile(StudentEdition(root: root, manifest: manifest).studentManifest(), "\(root)/exercises/manifest.json")
        writeFile("build output\n", "\(root)/.build/x")
        let files = ["Sources/A.swift", "Tests/ExerciseTests/Ex01_1.swift", "Tests/ExerciseTests/Hidden/Ex01_1Hidden.swift",
                     "exercises/manifest.json", ".build/x", "dist/old"]
        let written = try StudentEdition(root: root, manifest: manifest).write(files: files, to: out)
        #expect(written == [".ci/run", ".gitignore", "Makefile", "README.md", "Sources/A.swift", "Tests/ExerciseTests/Ex01_1.swift",
                            "exercises/STUDENT_EDITION", "exercises/manifest.json"])
        #expect(readFile("\(out)/Sources/A.swift")?.contains("secretStep") == false)
        #expect(readFile("\(out)/Sources/A.swift")?.contains("exerciseNotSolved(\"ex01_1\"") == true)
        #expect(!FileManager.default.fileExists(atPath: "\(out)/Tests/ExerciseTests/Hidden"))
        let studentManifest = try Manifest.load(root: out)
        #expect(studentManifest.exercises.allSatisfy { $0.hiddenTests.isEmpty })
        #expect(readFile("\(out)/README.md")?.contains("| ex01_2 | the \"stable\" loss | 1 |  | Lessons/01-x/chapter.md |") == true)
        // The leak check finds nothing in a clean edition ...
        let regions = try SolutionRegion.find(in: readFile("\(root)/Sources/A.swift")!, file: "Sources/A.swift")
        #expect(try Validation.leaks(teacherRoot: root, files: files, regions: regions, manifest: manifest, studentFolder: out) == [])
        // ... and everything in a spoiled one.
        writeFile("func g() {\n    secretStep()\n}\n// Ex01_1Hidden\n", "\(out)/Sources/B.swift")
        writeFile("struct Ex01_1Hidden {}\n", "\(out)/Tests/ExerciseTests/Hidden/Ex01_1Hidden.swift")
        let leaks = try Validation.leaks(teacherRoot: root, files: files, regions: regions, manifest: manifest, studentFolder: out)
        #expect(leaks.contains("\(out)/Sources/B.swift: holds a line of solution ex01_1 (Sources/A.swift:2): secretStep()"))
        #expect(leaks.contains("\(out)/Sources/B.swift: names the hidden suite Ex01_1Hidden"))
        #expect(leaks.contains("\(out)/Tests/ExerciseTests/Hidden/Ex01_1Hidden.swift: hidden tests must not be handed out"))
    }
}
