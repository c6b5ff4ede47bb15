import Foundation
import Testing

// The same seed gives the same numbers: every lesson, run twice in its quick configuration with
// OpenBLAS on one thread, writes byte-identical CSV files (and lesson 06 the same model file).
// Wall-clock columns (step times), found by their header, are left out of the comparison.

/// A column of wall-clock time: it differs from run to run by nature.
func isWallClockColumn(_ name: String) -> Bool {
    let name = name.lowercased()
    return ["second", "wall", "elapsed", "time", "_ms", "duration"].contains { name.contains($0) }
}

/// A CSV file's text without its wall-clock columns (all of it when it has none).
func withoutWallClock(_ data: Data) -> String {
    let text = String(decoding: data, as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard let header = lines.first else { return text }
    let drop = Set(csvFields(header).indices.filter { isWallClockColumn(csvFields(header)[$0]) })
    if drop.isEmpty { return text }
    return lines.map { line in
        csvFields(line).enumerated().filter { !drop.contains($0.offset) }.map(\.element).joined(separator: ",")
    }.joined(separator: "\n")
}

@Suite struct DeterminismTests {
    @Test(arguments: catalogueLessons)
    func sameSeedSameCSV(_ lesson: LessonFlags) async throws {
        try #require(presentLessons().contains(lesson.folder), "catalogueLessons lists \(lesson.folder), which has no Lessons/\(lesson.folder)/main.swift")
        let executable = try requireLessonExecutable(lesson.folder)
        var arguments = lesson.quick + ["--quiet", "--out", "out"]
        if lesson.pretrained {
            // Lesson 06's default run (seed 42), as the book's runs of 07 and 08 load the book's 06.
            let pretrained: String
            do { pretrained = try SharedLesson06Run.pretrainedFolder() } catch {
                Issue.record("lesson 06's default run failed, so lesson-\(lesson.folder) has no model to load: \(error)")
                return
            }
            arguments += ["--pretrained-dir", pretrained]
        }
        let command = arguments
        var outs: [URL] = []
        let scratches = (0..<2).map { scratchFolder("determinism/\(lesson.folder)/\($0 == 0 ? "a" : "b")") }
        let results = try await withThrowingTaskGroup(of: LessonRunResult.self) { group in
            for scratch in scratches {
                group.addTask { try await LessonProcess(executable, command, scratch: scratch).run(timeout: 300) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for result in results {
            #expect(result.status == 0 && result.exitedNormally,
                    "lesson-\(lesson.folder) \(command.joined(separator: " ")): \(result.standardError)")
        }
        guard results.allSatisfy({ $0.status == 0 }) else { return }
        outs += scratches.map { $0.appendingPathComponent("out") }

        let names = outs.map { out in
            ((try? FileManager.default.subpathsOfDirectory(atPath: out.path)) ?? [])
                .filter { $0.hasSuffix(".csv") || $0.hasSuffix(".safetensors") }.sorted()
        }
        #expect(names[0].contains { $0.hasSuffix(".csv") }, "lesson-\(lesson.folder) wrote no CSV file")
        #expect(names[0] == names[1], "the two runs wrote different files")
        var compared: [String] = []
        for name in names[0] where names[1].contains(name) {
            let a = try Data(contentsOf: outs[0].appendingPathComponent(name))
            let b = try Data(contentsOf: outs[1].appendingPathComponent(name))
            compared.append(name)
            if name.hasSuffix(".csv") {
                let (textA, textB) = (withoutWallClock(a), withoutWallClock(b))
                #expect(textA == textB, "lesson-\(lesson.folder): \(name) differs between two runs with the same seed")
            } else {
                #expect(a == b, "lesson-\(lesson.folder): \(name) differs between two runs with the same seed")
            }
        }
        #expect(!compared.isEmpty, "lesson-\(lesson.folder): nothing was compared")
    }
}
