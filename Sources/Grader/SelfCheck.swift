import Foundation

/// The student's side: build their own copy and run the exercises' visible tests
/// (`make check EX=ex03_2` for one, `make test` for the score). Unlike grading, the code is all
/// the student's, so an exercise whose tests run through an unsolved one stops there.
public struct SelfCheck {
    public let package: String
    public let manifest: Manifest
    public let timeout: Double
    public let swift: String

    public init(package: String, manifest: Manifest, timeout: Double = 120, swift: String = "swift") {
        self.package = package
        self.manifest = manifest
        self.timeout = timeout
        self.swift = swift
    }

    /// Builds in the workbook's one configuration (debug, MiniTorch and the lessons optimised by
    /// Package.swift, testable imports on): after an edit it recompiles the changed file and what
    /// uses it, so `make check` is quick again. Only the tests and what they use, unless
    /// `everything` (the lessons' executables and the tools too, for `make lesson`). Throws the
    /// compiler's first error whole when the package does not build.
    public func build(everything: Bool = false) throws {
        let command = everything ? [swift, "build", "--build-tests"] : [swift, "build", "--product", try testProduct()]
        let result = try runProcess(command, in: package)
        guard result.status == 0 else {
            let first = CompilerError.parse(result.output).first.map { error -> String in
                ([("\(error.path):\(error.line):\(error.column): error: \(error.message)")] + error.excerpt).joined(separator: "\n")
            }
            throw GraderError("the package does not build:\n" + (first ?? String(result.output.suffix(2000))))
        }
    }

    /// The test product: named by the test executable an earlier build left, else by the
    /// manifest (`swift package dump-package`, about a second, so only before the first build).
    func testProduct() throws -> String {
        if let built = builtTestExecutable { return String(built.dropLast(".xctest".count)) }
        return try Grading.testProduct(of: package, swift: swift)
    }

    /// `<Package>PackageTests.xctest` in .build/debug, once built.
    var builtTestExecutable: String? {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(package)/.build/debug")) ?? []).first { $0.hasSuffix("PackageTests.xctest") }
    }

    public var testBinary: String {
        "\(package)/.build/debug/\(builtTestExecutable ?? "PackageTests.xctest")"
    }

    func arguments(_ exercise: Exercise) -> [String] {
        [testBinary, "--testing-library", "swift-testing", "--filter", exercise.filter(includingHidden: false)]
    }

    /// Runs one exercise's tests, output captured.
    public func run(_ exercise: Exercise) -> ExerciseResult {
        do {
            let process = try runProcess(arguments(exercise), in: package, timeout: timeout, environment: ["NO_COLOR": "1"])
            return TestRun.result(of: exercise, process: process, timeout: timeout)
        } catch {
            return ExerciseResult(id: exercise.id, title: exercise.title, points: exercise.points, earned: 0,
                                  outcome: .failed, message: "\(error)", seconds: 0)
        }
    }

    /// Runs one exercise's tests with their output on the terminal; true when they all pass.
    public func runShowingOutput(_ exercise: Exercise) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments(exercise)
        process.currentDirectoryURL = URL(fileURLWithPath: package)
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
