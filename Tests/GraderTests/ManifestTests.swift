import Foundation
import Testing
@testable import Grader

@Suite("Grader: the manifest and its checks")
struct ManifestTests {
    @Test func decodesAndBuildsTheFilter() throws {
        let json = """
        {"exercises": [{"id": "ex03_2", "title": "the cosine schedule", "chapter": "Lessons/03/chapter.md",
          "points": 2, "tests": ["Ex03_2"], "hiddenTests": ["Ex03_2Hidden"], "files": ["a.swift"], "hint": "h"},
          {"id": "ex03_3", "title": "t", "chapter": "c", "points": 1, "tests": ["Ex03_3"], "files": ["a.swift"], "hint": "h"}]}
        """
        let manifest = try Manifest.decode(Data(json.utf8))
        #expect(manifest.totalPoints == 3)
        #expect(manifest.exercises[1].hiddenTests.isEmpty)
        #expect(manifest.exercises[0].filter(includingHidden: true) == "^ExerciseTests\\.(Ex03_2|Ex03_2Hidden)/")
        #expect(manifest.exercises[0].filter(includingHidden: false) == "^ExerciseTests\\.(Ex03_2)/")
    }

    @Test func aMissingKeyIsNamed() {
        let json = #"{"exercises": [{"id": "ex03_2", "title": "t", "chapter": "c", "tests": [], "files": [], "hint": "h"}]}"#
        #expect(throws: GraderError("exercises/manifest.json: exercises[0] is missing \"points\"")) {
            try Manifest.decode(Data(json.utf8))
        }
    }

    @Test func exerciseIDs() {
        #expect(SolutionRegion.isExerciseID("ex03_2"))
        #expect(SolutionRegion.isExerciseID("ex00_12"))
        for bad in ["ex3_2", "ex03-2", "ex03_", "ex03_2b", "EX03_2", "exab_1", ""] {
            #expect(!SolutionRegion.isExerciseID(bad), "\(bad)")
        }
        #expect(ManifestCheck.isSuiteName("Ex03_2"))
        #expect(ManifestCheck.isSuiteName("Ex03_2Hidden"))
        #expect(!ManifestCheck.isSuiteName("ExerciseSupport"))
    }

    /// A package with one exercise done right; each test breaks one thing.
    func package() -> (root: String, files: [String]) {
        let root = temporaryFolder()
        writeFile("import X\nfunc f() {\n    \(beginMarker("ex01_1"))\n    work()\n    \(endMarker)\n}\n", "\(root)/Sources/A.swift")
        writeFile("import Testing\nstruct Ex01_1 {}\n", "\(root)/Tests/ExerciseTests/Ex01_1.swift")
        writeFile("import Testing\nstruct Ex01_1Hidden {}\n", "\(root)/Tests/ExerciseTests/Hidden/Ex01_1Hidden.swift")
        let one = Manifest(exercises: [sampleManifest().exercises[0]])
        writeFile("# Lesson\n\n## Exercises\n\n\(ChapterExercises.block(for: "Lessons/01-x/chapter.md", manifest: one))\n", "\(root)/Lessons/01-x/chapter.md")
        return (root, ["Sources/A.swift", "Tests/ExerciseTests/Ex01_1.swift", "Tests/ExerciseTests/Hidden/Ex01_1Hidden.swift", "Lessons/01-x/chapter.md"])
    }

    @Test func aConsistentPackageHasNoProblems() {
        let (root, files) = package()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let one = Manifest(exercises: [sampleManifest().exercises[0]])
        #expect(ManifestCheck(root: root, manifest: one, files: files).staticProblems() == [])
    }

    @Test func everyInconsistencyIsReported() {
        let (root, files) = package()
        defer { try? FileManager.default.removeItem(atPath: root) }
        writeFile("struct Ex01_9 {}\n", "\(root)/Tests/ExerciseTests/Stray.swift")
        writeFile("func g() {\n\(beginMarker("ex01_7"))\nx()\n\(endMarker)\n}\n", "\(root)/Sources/C.swift")
        var first = sampleManifest().exercises[0]
        first.points = 0
        var twice = first
        twice.points = 1
        let manifest = Manifest(exercises: [first, twice, sampleManifest().exercises[1]])
        let problems = ManifestCheck(root: root, manifest: manifest, files: files + ["Tests/ExerciseTests/Stray.swift", "Sources/C.swift"]).staticProblems()
        let expected = [
            "exercises/manifest.json: ex01_1: points must be at least 1 (got 0)",
            "exercises/manifest.json: ex01_1: listed twice",
            "exercises/manifest.json: ex01_2: file Sources/B.swift does not exist",
            "Sources/C.swift:2: BEGIN SOLUTION ex01_7: no exercise ex01_7 in exercises/manifest.json",
            "exercises/manifest.json: ex01_2: Sources/A.swift has no '// BEGIN SOLUTION ex01_2' region",
            "exercises/manifest.json: ex01_2: test suite Ex01_2 is not declared in Tests/ExerciseTests (struct Ex01_2)",
            "Tests/ExerciseTests/Stray.swift: suite Ex01_9 grades no exercise in exercises/manifest.json",
            "Lessons/01-x/chapter.md: the exercises list differs from exercises/manifest.json (run make exercises-chapters)",
        ]
        for line in expected { #expect(problems.contains(line), "missing: \(line)\nall: \(problems)") }
    }

    @Test func hiddenSuitesMustBeInTheHiddenFolder() {
        let (root, files) = package()
        defer { try? FileManager.default.removeItem(atPath: root) }
        writeFile("struct Ex01_1Hidden {}\n", "\(root)/Tests/ExerciseTests/Hidden/Ex01_1Hidden.swift")
        writeFile("struct Ex01_1 {}\nstruct Ex01_1Hidden {}\n", "\(root)/Tests/ExerciseTests/Ex01_1.swift")
        let one = Manifest(exercises: [sampleManifest().exercises[0]])
        let problems = ManifestCheck(root: root, manifest: one, files: files).staticProblems()
        #expect(problems == ["exercises/manifest.json: ex01_1: hidden suite Ex01_1Hidden must live in Tests/ExerciseTests/Hidden/"])
    }

    @Test func chapterListIsWrittenAndChecked() {
        let manifest = sampleManifest(), chapter = "Lessons/01-x/chapter.md"
        let bare = "# Lesson\n\nText.\n"
        #expect(ChapterExercises.problem(in: bare, chapter: chapter, manifest: manifest)
                == "Lessons/01-x/chapter.md: has no '## Exercises' section (run make exercises-chapters)")
        let written = ChapterExercises.updated(bare, chapter: chapter, manifest: manifest)
        #expect(written == """
            # Lesson

            Text.

            ## Exercises

            <!-- BEGIN EXERCISES: generated from exercises/manifest.json by `make exercises-chapters` -->
            - **ex01_1** · the training step (2 points). Hint: call backward first
            - **ex01_2** · the "stable" loss (1 point). Hint: subtract the max
            <!-- END EXERCISES -->

            """)
        #expect(ChapterExercises.problem(in: written, chapter: chapter, manifest: manifest) == nil)
        // Under an existing heading, with prose after it; then refreshed in place.
        let withHeading = "# L\n\n## Exercises\n\nTry them in order.\n\n## Further reading\n"
        let placed = ChapterExercises.updated(withHeading, chapter: chapter, manifest: manifest)
        #expect(placed.hasPrefix("# L\n\n## Exercises\n\n<!-- BEGIN EXERCISES"))
        #expect(placed.hasSuffix("<!-- END EXERCISES -->\n\nTry them in order.\n\n## Further reading\n"))
        var changed = manifest
        changed.exercises[0].points = 5
        #expect(ChapterExercises.problem(in: placed, chapter: chapter, manifest: changed) != nil)
        let refreshed = ChapterExercises.updated(placed, chapter: chapter, manifest: changed)
        #expect(refreshed.contains("(5 points)") && !refreshed.contains("(2 points)"))
        #expect(ChapterExercises.updated(refreshed, chapter: chapter, manifest: changed) == refreshed)
    }
}
