import Testing
@testable import BookBuilder

/// `{{#include file:anchor}}` with mdBook's semantics.
/// The exercise markers, spelt in two pieces so the grader, which looks for regions in every
/// source file, does not take these test fixtures for exercises.
let solutionBegin = "// BEGIN " + "SOLUTION"
let solutionEnd = "// END " + "SOLUTION"

@Suite struct IncludeTests {
    static let loop = """
        import MiniTorch

        func train() {
            // ANCHOR: epoch
            for batch in loader {
                // ANCHOR: step
                let loss = model(batch)
                loss.backward()
                // ANCHOR_END: step
                optimizer.step()
            }
            // ANCHOR_END: epoch
        }

        """

    func resolve(_ arguments: String) throws -> String {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("Lessons/01-demo/Loop.swift", Self.loop)
        return try Include(chapterFolder: "Lessons/01-demo", root: folder.path).resolve(arguments)
    }

    @Test func anchoredRegionIsDedentedAndNestedMarkersAreRemoved() throws {
        #expect(try resolve("Loop.swift:epoch") == """
            for batch in loader {
                let loss = model(batch)
                loss.backward()
                optimizer.step()
            }
            """)
    }

    @Test func nestedAnchorOnItsOwn() throws {
        #expect(try resolve("Loop.swift:step") == "let loss = model(batch)\nloss.backward()")
    }

    @Test func wholeFileWithoutMarkerLines() throws {
        let text = try resolve("Loop.swift")
        #expect(!text.contains("ANCHOR"))
        #expect(text.hasPrefix("import MiniTorch\n\nfunc train() {\n    for batch in loader {"))
        #expect(text.hasSuffix("}"))
    }

    @Test func lineRanges() throws {
        #expect(try resolve("Loop.swift:1") == "import MiniTorch")
        #expect(try resolve("Loop.swift:3:3") == "func train() {")
        #expect(try resolve("Loop.swift::3") == "import MiniTorch\n\nfunc train() {")
        #expect(try resolve("Loop.swift:13:") == "}")
        #expect(throws: BookError("include Loop.swift:40: Lessons/01-demo/Loop.swift has only 13 lines")) {
            try resolve("Loop.swift:40")
        }
    }

    @Test func missingAnchorNamesAnchorAndFile() throws {
        #expect(throws: BookError("include Loop.swift:warmup: no anchor 'warmup' in Lessons/01-demo/Loop.swift")) {
            try resolve("Loop.swift:warmup")
        }
    }

    @Test func missingFileNamesTheFile() throws {
        #expect(throws: BookError("include Schedules.swift:warmup: no file Lessons/01-demo/Schedules.swift")) {
            try resolve("Schedules.swift:warmup")
        }
    }

    @Test func specParsing() throws {
        #expect(try IncludeSpec(parsing: "A.swift") == IncludeSpec(path: "A.swift", part: .wholeFile))
        #expect(try IncludeSpec(parsing: "A.swift:train-step") == IncludeSpec(path: "A.swift", part: .anchor("train-step")))
        #expect(try IncludeSpec(parsing: "A.swift:2:") == IncludeSpec(path: "A.swift", part: .lines(first: 2, last: nil)))
        #expect(throws: BookError.self) { try IncludeSpec(parsing: "A.swift:9:3") }
        #expect(throws: BookError.self) { try IncludeSpec(parsing: "A.swift:") }
    }

    @Test func solutionMarkerLinesAreRemovedAndTheirCodeKept() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("Lessons/03-demo/Schedule.swift", """
            // ANCHOR: warmup
            func warmup(_ step: Int) -> Double {
                \(solutionBegin) ex03_1
                return Double(step) / 10
                \(solutionEnd)
            }
            /// An exercise region starts with `// BEGIN SOLUTION ex03_2`.
            // ANCHOR_END: warmup

            """)
        let include = Include(chapterFolder: "Lessons/03-demo", root: folder.path)
        #expect(try include.resolve("Schedule.swift:warmup") == """
            func warmup(_ step: Int) -> Double {
                return Double(step) / 10
            }
            /// An exercise region starts with `// BEGIN SOLUTION ex03_2`.
            """)
        #expect(!(try include.resolve("Schedule.swift")).contains("// END SOLUTION"))
    }

    @Test func blockIsHighlightedCodeWithItsFileAndAnchor() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("Sources/Lib/Loop.swift", Self.loop)
        try folder.write("Lessons/01-demo/chapter.md", "")
        let include = Include(chapterFolder: "Lessons/01-demo", root: folder.path)
        #expect(try include.block("../../Sources/Lib/Loop.swift:step") == """
            ::: {.include}
            [`Sources/Lib/Loop.swift`, anchor `step`]{.include-source}

            ~~~ {.swift include="../../Sources/Lib/Loop.swift:step"}
            let loss = model(batch)
            loss.backward()
            ~~~
            :::
            """)
        #expect(try include.block("../../Sources/Lib/Loop.swift:3:4").contains("`Sources/Lib/Loop.swift`, lines 3 to 4]"))
    }

    @Test func fenceOutgrowsTildesInTheCode() {
        let block = CodeBlock(code: "/// ~~~\n/// example\n/// ~~~~", language: "swift")
        #expect(block.markdown == "~~~~~ {.swift}\n/// ~~~\n/// example\n/// ~~~~\n~~~~~")
    }

    @Test func markerNames() {
        #expect(Anchors.marker("ANCHOR:", in: "    // ANCHOR: train_step-2") == "train_step-2")
        #expect(Anchors.marker("ANCHOR:", in: "// ANCHOR_END: x") == nil)
        #expect(Anchors.marker("ANCHOR_END:", in: "// ANCHOR_END:x") == "x")
    }
}
