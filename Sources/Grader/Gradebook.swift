import Foundation

/// A class's grades: `grades/<name>.json` and `grades/<name>-feedback.md` for each student, and
/// `grades/gradebook.csv` with one row a student, one column an exercise, then the total.
public struct Gradebook {
    public let manifest: Manifest
    public let reports: [GradeReport]

    public init(manifest: Manifest, reports: [GradeReport]) {
        self.manifest = manifest
        self.reports = reports
    }

    /// `student,ex00_1,...,total,possible`; a student's cell is the points earned.
    public func csv() -> String { Self.csv(reports, manifest: manifest) }

    static func csv(_ reports: [GradeReport], manifest: Manifest) -> String {
        var lines = [(["student"] + manifest.exercises.map(\.id) + ["total", "possible"]).joined(separator: ",")]
        for report in reports {
            let earned = manifest.exercises.map { e in report.results.first { $0.id == e.id }.map { "\($0.earned)" } ?? "" }
            lines.append(([Self.csvField(report.name)] + earned + ["\(report.earned)", "\(report.possible)"]).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// What the student reads: the total, then each exercise not passed with what failed
    /// (every failing expectation, or the compiler's error at their file and line).
    public static func feedback(_ report: GradeReport, manifest: Manifest) -> String {
        var text = "# \(report.name): \(report.earned) / \(report.possible) points\n\n"
        let missed = report.results.filter { $0.outcome != .passed }
        let passed = report.results.filter { $0.outcome == .passed }
        if missed.isEmpty { text += "Every exercise passes its tests.\n" }
        for result in missed {
            text += "## \(result.id): \(result.title) (0 / \(result.points), \(result.outcome.rawValue))\n\n"
            if let e = manifest.exercise(result.id) { text += "Read \(e.chapter). Hint: \(e.hint.replacingNewlines())\n\n" }
            if !result.message.isEmpty { text += "```\n\(result.message)\n```\n\n" }
        }
        if !passed.isEmpty && !missed.isEmpty {
            text += "## Passed\n\n" + passed.map { "\($0.id) (\($0.points))" }.joined(separator: ", ") + "\n"
        }
        return text
    }

    /// Writes every file into `folder` (created if needed). The CSV lists every `<name>.json`
    /// in the folder, so grading one more student (or one again) keeps the others' rows.
    /// Returns the paths written.
    @discardableResult
    public func write(to folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var written: [String] = []
        for report in reports {
            try atomicWrite(report.json(), to: "\(folder)/\(report.name).json")
            try atomicWrite(Self.feedback(report, manifest: manifest), to: "\(folder)/\(report.name)-feedback.md")
            written += ["\(folder)/\(report.name).json", "\(folder)/\(report.name)-feedback.md"]
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        let all = names.compactMap { name in
            FileManager.default.contents(atPath: "\(folder)/\(name)").flatMap { try? JSONDecoder().decode(GradeReport.self, from: $0) }
        }
        try atomicWrite(Self.csv(all, manifest: manifest), to: "\(folder)/gradebook.csv")
        return written + ["\(folder)/gradebook.csv"]
    }
}

/// Writes through a temporary file and a rename, so a reader never sees half a file.
func atomicWrite(_ text: String, to path: String) throws {
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw GraderError("cannot write \(path): \(error.localizedDescription)")
    }
}
