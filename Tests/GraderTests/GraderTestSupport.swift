import Foundation
@testable import Grader

/// Markers built from pieces, so this file never holds a line the stripper would take for a
/// real solution region of the package.
func beginMarker(_ id: String) -> String { "// BEGIN " + "SOLUTION \(id)" }
let endMarker = "// END " + "SOLUTION"

/// A manifest of two exercises for the tests.
func sampleManifest() -> Manifest {
    Manifest(exercises: [
        Exercise(id: "ex01_1", title: "the training step", chapter: "Lessons/01-x/chapter.md", points: 2,
                 tests: ["Ex01_1"], hiddenTests: ["Ex01_1Hidden"], files: ["Sources/A.swift"], hint: "call backward first"),
        Exercise(id: "ex01_2", title: "the \"stable\" loss", chapter: "Lessons/01-x/chapter.md", points: 1,
                 tests: ["Ex01_2"], files: ["Sources/A.swift", "Sources/B.swift"], hint: "subtract the max"),
    ])
}

/// A fresh folder under the temporary directory, removed by the caller's `defer`.
func temporaryFolder() -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("grader-tests-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func writeFile(_ text: String, _ path: String) {
    try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
}

func readFile(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
