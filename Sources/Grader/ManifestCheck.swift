import Foundation

/// Checks the manifest against the code, the tests and the chapters. Each problem is one line;
/// all are collected, so one run shows everything to fix.
public struct ManifestCheck {
    public let root: String
    public let manifest: Manifest
    /// The tracked files (paths relative to root) to search for solution regions and suites.
    public let files: [String]

    public init(root: String, manifest: Manifest, files: [String]) {
        self.root = root
        self.manifest = manifest
        self.files = files
    }

    func read(_ file: String) -> String? { try? String(contentsOfFile: "\(root)/\(file)", encoding: .utf8) }

    /// Every solution region in the tracked Swift files (malformed markers become problems).
    public func regions() -> (regions: [SolutionRegion], problems: [String]) {
        var regions: [SolutionRegion] = [], problems: [String] = []
        for file in files where file.hasSuffix(".swift") && !StudentEdition.isExcluded(file) {
            guard let text = read(file) else { continue }
            do { regions += try SolutionRegion.find(in: text, file: file) } catch { problems.append("\(error)") }
        }
        return (regions, problems)
    }

    /// Problems that need no build: ids, points, files, regions both ways, suites declared in
    /// the right folder, chapters' exercise lists.
    public func staticProblems() -> [String] {
        var problems: [String] = []
        var seen: Set<String> = []
        for e in manifest.exercises {
            let at = "\(Manifest.path): \(e.id)"
            if !SolutionRegion.isExerciseID(e.id) { problems.append("\(at): the id must look like ex03_2 (ex + lesson number + _ + exercise number)") }
            if !seen.insert(e.id).inserted { problems.append("\(at): listed twice") }
            if e.title.trimmingWhitespace().isEmpty { problems.append("\(at): the title is empty") }
            if e.hint.trimmingWhitespace().isEmpty { problems.append("\(at): the hint is empty") }
            if e.points < 1 { problems.append("\(at): points must be at least 1 (got \(e.points))") }
            if e.tests.isEmpty { problems.append("\(at): names no test suite") }
            if e.files.isEmpty { problems.append("\(at): names no file holding its solution") }
            if read(e.chapter) == nil { problems.append("\(at): chapter \(e.chapter) does not exist") }
            for file in e.files where read(file) == nil { problems.append("\(at): file \(file) does not exist") }
            for other in e.buildsOn where other == e.id || manifest.exercise(other) == nil {
                problems.append("\(at): buildsOn names \(other), which is \(other == e.id ? "itself" : "not an exercise in the manifest")")
            }
        }
        let (regions, regionProblems) = regions()
        problems += regionProblems
        for region in regions {
            guard let e = manifest.exercise(region.id) else {
                problems.append("\(region.file):\(region.begin): BEGIN SOLUTION \(region.id): no exercise \(region.id) in \(Manifest.path)")
                continue
            }
            if !e.files.contains(region.file) {
                problems.append("\(region.file):\(region.begin): BEGIN SOLUTION \(region.id): \(Manifest.path) does not list \(region.file) in its files")
            }
            if region.body.allSatisfy({ $0.trimmingWhitespace().isEmpty }) {
                problems.append("\(region.file):\(region.begin): BEGIN SOLUTION \(region.id): the region is empty")
            }
        }
        for e in manifest.exercises {
            for file in e.files where read(file) != nil && !regions.contains(where: { $0.id == e.id && $0.file == file }) {
                problems.append("\(Manifest.path): \(e.id): \(file) has no '// BEGIN SOLUTION \(e.id)' region")
            }
        }
        problems += suiteProblems()
        var chapters: [String] = []
        for e in manifest.exercises where !chapters.contains(e.chapter) { chapters.append(e.chapter) }
        for chapter in chapters {
            guard let text = read(chapter) else { continue }
            if let problem = ChapterExercises.problem(in: text, chapter: chapter, manifest: manifest) { problems.append(problem) }
        }
        return problems
    }

    /// Suites declared in Tests/ExerciseTests: `struct Ex03_2` (visible) and, under Hidden/,
    /// `struct Ex03_2Hidden`. Each must belong to an exercise and sit in the right folder.
    public func declaredSuites() -> [(name: String, file: String)] {
        var suites: [(String, String)] = []
        for file in files where file.hasPrefix(Manifest.testFolder + "/") && file.hasSuffix(".swift") {
            guard let text = read(file) else { continue }
            for line in text.split(separator: "\n") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "{" })
                guard let at = words.firstIndex(of: "struct"), at + 1 < words.count else { continue }
                let name = String(words[at + 1])
                if Self.isSuiteName(name) { suites.append((name, file)) }
            }
        }
        return suites
    }

    /// `Ex03_2` or `Ex03_2Hidden`: the suite of exercise ex03_2.
    static func isSuiteName(_ name: String) -> Bool {
        guard name.hasPrefix("Ex") else { return false }
        let bare = name.hasSuffix("Hidden") ? String(name.dropLast(6)) : name
        return SolutionRegion.isExerciseID("ex" + bare.dropFirst(2))
    }

    func suiteProblems() -> [String] {
        var problems: [String] = []
        let declared = declaredSuites()
        for e in manifest.exercises {
            for suite in e.tests {
                let where_ = declared.filter { $0.name == suite }.map(\.file)
                if where_.isEmpty { problems.append("\(Manifest.path): \(e.id): test suite \(suite) is not declared in \(Manifest.testFolder) (struct \(suite))") }
                if where_.contains(where: { $0.hasPrefix(Manifest.hiddenFolder + "/") }) {
                    problems.append("\(Manifest.path): \(e.id): \(suite) is in \(Manifest.hiddenFolder); list it under hiddenTests")
                }
            }
            for suite in e.hiddenTests {
                let where_ = declared.filter { $0.name == suite }.map(\.file)
                if where_.isEmpty { problems.append("\(Manifest.path): \(e.id): hidden test suite \(suite) is not declared in \(Manifest.hiddenFolder) (struct \(suite))") }
                if where_.contains(where: { !$0.hasPrefix(Manifest.hiddenFolder + "/") }) {
                    problems.append("\(Manifest.path): \(e.id): hidden suite \(suite) must live in \(Manifest.hiddenFolder)/")
                }
            }
        }
        let named = Set(manifest.exercises.flatMap { $0.tests + $0.hiddenTests })
        for suite in declared where !named.contains(suite.name) {
            problems.append("\(suite.file): suite \(suite.name) grades no exercise in \(Manifest.path)")
        }
        return problems
    }
}
