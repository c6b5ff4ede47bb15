import Foundation

/// `make grade`: build a package once, then run each exercise's tests in a process of its own.
public struct Grading {
    /// The package folder to grade.
    public let package: String
    /// Its build folder (`swift ... --scratch-path`), kept between runs.
    public let scratchPath: String
    public let manifest: Manifest
    /// Run the hidden suites too (they exist in the teacher's tests and in an overlaid submission).
    public let includeHidden: Bool
    /// Seconds each exercise's process may take.
    public let timeout: Double
    /// The `swift` command.
    public let swift: String

    public init(package: String, scratchPath: String, manifest: Manifest, includeHidden: Bool,
                timeout: Double = 120, swift: String = "swift") {
        self.package = package
        self.scratchPath = scratchPath
        self.manifest = manifest
        self.includeHidden = includeHidden
        self.timeout = timeout
        self.swift = swift
    }

    /// Builds the package and its tests in release (as `make test` does, so the build is shared)
    /// and lists the tests. Throws with the first compiler errors when it does not build.
    public func build() throws -> [String] {
        let result = try runProcess([swift, "test", "list", "-c", "release", "--scratch-path", scratchPath], in: package)
        guard result.status == 0 else {
            let errors = result.output.split(separator: "\n").filter { $0.contains("error:") }.prefix(5)
            let shown = errors.isEmpty ? String(result.output.suffix(2000)) : errors.joined(separator: "\n")
            throw GraderError("the package in \(package) does not build:\n" + shown)
        }
        return result.output.split(separator: "\n").map(String.init).filter { $0.contains("/") && !$0.contains(" ") }
    }

    /// The built test executable (Linux: `<Package>PackageTests.xctest`, a plain executable);
    /// nil where tests are a bundle (macOS), which `swift test --skip-build` then runs.
    public func testBinary() -> String? {
        let folder = "\(absoluteScratchPath)/release"
        let items = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        guard let name = items.first(where: { $0.hasSuffix("PackageTests.xctest") }) else { return nil }
        var isFolder: ObjCBool = false
        let path = "\(folder)/\(name)"
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
              FileManager.default.isExecutableFile(atPath: path) else { return nil }
        return path
    }

    var absoluteScratchPath: String {
        scratchPath.hasPrefix("/") ? scratchPath : "\(package)/\(scratchPath)"
    }

    /// The command that runs one exercise's suites.
    public func command(for exercise: Exercise) -> [String] {
        let filter = exercise.filter(includingHidden: includeHidden)
        if let binary = testBinary() {
            return [binary, "--testing-library", "swift-testing", "--filter", filter]
        }
        return [swift, "test", "-c", "release", "--skip-build", "--scratch-path", scratchPath,
                "--disable-xctest", "--filter", filter]
    }

    /// Runs one exercise; a crash, a stub's exit or a hang costs only this exercise.
    public func run(_ exercise: Exercise) -> ExerciseResult {
        do {
            let process = try runProcess(command(for: exercise), in: package, timeout: timeout,
                                         environment: ["NO_COLOR": "1"])
            return TestRun.result(of: exercise, process: process, timeout: timeout)
        } catch {
            return ExerciseResult(id: exercise.id, title: exercise.title, points: exercise.points, earned: 0,
                                  outcome: .failed, message: "\(error)", seconds: 0)
        }
    }

    /// Builds once and runs every exercise (or those in `only`), reporting each as it finishes.
    /// A package that does not build scores zero on every exercise, with the compiler's error.
    public func grade(only: [String] = [], progress: (ExerciseResult) -> Void = { _ in }) -> GradeReport {
        let selected = manifest.exercises.filter { only.isEmpty || only.contains($0.id) }
        do {
            _ = try build()
        } catch {
            let message = "\(error)".split(separator: "\n").dropFirst().first.map(String.init) ?? "\(error)"
            let results = selected.map {
                ExerciseResult(id: $0.id, title: $0.title, points: $0.points, earned: 0, outcome: .notBuilt,
                               message: message.trimmingWhitespace(), seconds: 0)
            }
            results.forEach(progress)
            return GradeReport(submission: package, results: results)
        }
        var results: [ExerciseResult] = []
        for exercise in selected {
            let result = run(exercise)
            progress(result)
            results.append(result)
        }
        return GradeReport(submission: package, results: results)
    }
}
