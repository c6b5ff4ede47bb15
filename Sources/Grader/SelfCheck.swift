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

    /// The one build the tests and the lessons share, as in the teacher's workbook: debug, with
    /// MiniTorch and the lessons optimised (Package.swift) and testable imports on. After an
    /// edit it recompiles the changed file and what uses it, so `make check` is quick again.
    public static func buildCommand(swift: String, scratchPath: String? = nil) -> [String] {
        [swift, "build", "--build-tests"]
            + (scratchPath.map { ["--scratch-path", $0] } ?? [])
    }

    /// Builds (only the tests and what they use, unless `everything`: the lessons' executables
    /// and the tools too, for `make lesson`); throws the compiler's first error whole when the
    /// package does not build.
    public func build(everything: Bool = false) throws {
        let command = everything ? Self.buildCommand(swift: swift)
            : [swift, "build", "--product", try Grading.testProduct(of: package, swift: swift)]
        let result = try runProcess(command, in: package)
        guard result.status == 0 else {
            let first = CompilerError.parse(result.output).first.map { error -> String in
                ([("\(error.path):\(error.line):\(error.column): error: \(error.message)")] + error.excerpt).joined(separator: "\n")
            }
            throw GraderError("the package does not build:\n" + (first ?? String(result.output.suffix(2000))))
        }
    }

    public var testBinary: String {
        let folder = "\(package)/.build/debug"
        let name = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).first { $0.hasSuffix("PackageTests.xctest") }
        return "\(folder)/\(name ?? "PackageTests.xctest")"
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
