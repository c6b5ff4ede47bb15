import Foundation

/// `make validate-exercises`: the whole flow, checked. The manifest matches code, tests and
/// chapters; the student edition holds no solution and no hidden test and builds; every
/// exercise fails there and passes on the teacher's code (hidden tests included).
public struct Validation {
    public let root: String
    public let manifest: Manifest
    public let studentFolder: String
    public let teacherScratch: String
    public let studentScratch: String
    public let timeout: Double
    public let swift: String

    public init(root: String, manifest: Manifest, studentFolder: String, teacherScratch: String,
                studentScratch: String, timeout: Double = 120, swift: String = "swift") {
        self.root = root
        self.manifest = manifest
        self.studentFolder = studentFolder
        self.teacherScratch = teacherScratch
        self.studentScratch = studentScratch
        self.timeout = timeout
        self.swift = swift
    }

    /// Runs every check, printing progress through `log`; returns the problems (empty: valid).
    public func run(log: (String) -> Void) throws -> [String] {
        let files = try trackedFiles(root: root)
        let check = ManifestCheck(root: root, manifest: manifest, files: files)
        var problems = check.staticProblems()
        if !problems.isEmpty { return problems }
        log("validate: the manifest lists \(manifest.exercises.count) exercises (\(manifest.totalPoints) points); regions, suites and chapters match")

        try StudentEdition(root: root, manifest: manifest).write(files: files, to: studentFolder)
        let leaks = try Self.leaks(teacherRoot: root, files: files, regions: check.regions().regions,
                                   manifest: manifest, studentFolder: studentFolder)
        if !leaks.isEmpty { return leaks }
        log("validate: wrote \(studentFolder); no solution line, marker or hidden test in it")

        let teacher = Grading(package: root, scratchPath: teacherScratch, manifest: manifest,
                              includeHidden: true, timeout: timeout, swift: swift)
        let student = Grading(package: studentFolder, scratchPath: studentScratch, manifest: manifest,
                              includeHidden: false, timeout: timeout, swift: swift)
        var start = Date()
        let teacherTests = try teacher.build()
        log("validate: built the solution edition in \(seconds(since: start))")
        problems += check.missingTests(testIDs: teacherTests, includingHidden: true)
        start = Date()
        let studentTests: [String]
        do {
            studentTests = try student.build()
        } catch {
            return problems + ["the student edition does not build: \(error)"]
        }
        log("validate: built the student edition in \(seconds(since: start))")
        problems += check.missingTests(testIDs: studentTests, includingHidden: false)
        if !problems.isEmpty { return problems }

        for exercise in manifest.exercises {
            let solved = teacher.run(exercise), unsolved = student.run(exercise)
            log("validate: \(exercise.id): solution \(solved.outcome.rawValue), student edition \(unsolved.outcome.rawValue)")
            if solved.outcome != .passed {
                problems.append("\(exercise.id): its tests do not pass on the solution: \(solved.outcome.rawValue): \(solved.message)")
            }
            if unsolved.outcome == .passed {
                problems.append("\(exercise.id): its tests pass in the student edition: they cannot tell a solution from the stub")
            } else if unsolved.outcome != .failed {
                problems.append("\(exercise.id): in the student edition its tests should fail, not: \(unsolved.outcome.rawValue): \(unsolved.message)")
            }
        }
        return problems
    }

    func seconds(since start: Date) -> String { String(format: "%.0f s", Date().timeIntervalSince(start)) }

    /// What of the teacher's edition shows through in the student edition: a solution marker,
    /// a line that only a solution region holds, a hidden test file or a hidden suite's name.
    public static func leaks(teacherRoot: String, files: [String], regions: [SolutionRegion],
                             manifest: Manifest, studentFolder: String) throws -> [String] {
        var problems: [String] = []
        let fm = FileManager.default
        let studentFiles = (fm.enumerator(atPath: studentFolder)?.allObjects as? [String] ?? [])
            .filter { !$0.split(separator: "/").contains(where: { $0.hasPrefix(".build") }) }
        var studentLines: [String: String] = [:]   // trimmed line -> first file holding it
        let hiddenNames = manifest.exercises.flatMap(\.hiddenTests)
        for file in studentFiles {
            if file.hasPrefix(Manifest.hiddenFolder) { problems.append("\(studentFolder)/\(file): hidden tests must not be handed out") }
            guard let text = try? String(contentsOfFile: "\(studentFolder)/\(file)", encoding: .utf8) else { continue }
            if file.hasSuffix(".swift") {
                do {
                    for region in try SolutionRegion.find(in: text, file: file) {
                        problems.append("\(studentFolder)/\(file):\(region.begin): solution region \(region.id) was not removed")
                    }
                } catch {
                    problems.append("\(studentFolder)/\(error)")
                }
            }
            for name in hiddenNames where text.contains(name) {
                problems.append("\(studentFolder)/\(file): names the hidden suite \(name)")
            }
            for line in text.split(separator: "\n") {
                let t = line.trimmingWhitespace()
                if studentLines[t] == nil { studentLines[t] = file }
            }
        }
        // Lines outside every region in the teacher's files may legitimately appear.
        var outside: Set<String> = []
        for file in files where !StudentEdition.isExcluded(file) {
            guard let text = try? String(contentsOfFile: "\(teacherRoot)/\(file)", encoding: .utf8) else { continue }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let mine = regions.filter { $0.file == file }
            for (index, line) in lines.enumerated() where !mine.contains(where: { $0.begin <= index + 1 && index + 1 <= $0.end }) {
                outside.insert(line.trimmingWhitespace())
            }
        }
        for region in regions {
            for line in region.body {
                let t = line.trimmingWhitespace()
                guard t.count >= 8, !outside.contains(t), let file = studentLines[t] else { continue }
                problems.append("\(studentFolder)/\(file): holds a line of solution \(region.id) (\(region.file):\(region.begin)): \(t)")
            }
        }
        return problems
    }
}
