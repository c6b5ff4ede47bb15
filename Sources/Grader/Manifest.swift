import Foundation

/// One graded exercise, as `exercises/manifest.json` lists it.
///
/// The manifest is the single list every tool reads: `make student` stubs the solution regions
/// it names, `make grade` runs the tests it names and adds up the points, and the validation
/// checks it against the code, the tests and the chapters.
public struct Exercise: Codable, Equatable, Sendable {
    /// `ex03_2`: lesson 03, exercise 2 (`ex00_N` for exercises in MiniTorch itself).
    public var id: String
    /// What the student writes, as a noun phrase: "the cosine schedule with warmup".
    public var title: String
    /// The Markdown page that explains it and lists it under `## Exercises`:
    /// `Lessons/03-lr-schedules/chapter.md`.
    public var chapter: String
    public var points: Int
    /// Swift Testing suites (type names in Tests/ExerciseTests) that grade it: `["Ex03_2"]`.
    public var tests: [String]
    /// Suites in the hidden-test folder, left out of the student edition: `["Ex03_2Hidden"]`.
    public var hiddenTests: [String]
    /// The files holding its `// BEGIN SOLUTION ex03_2` regions.
    public var files: [String]
    /// One or two sentences that help without giving the answer away.
    public var hint: String
    /// Exercises whose code this one's tests run through (`["ex07_4"]`: LoRALinear's init calls
    /// loraScaling). A student solves those first to see these tests pass; grading always runs
    /// the teacher's version of them, so a wrong answer there costs only that exercise.
    public var buildsOn: [String]

    public init(id: String, title: String, chapter: String, points: Int, tests: [String],
                hiddenTests: [String] = [], files: [String], hint: String, buildsOn: [String] = []) {
        self.id = id
        self.title = title
        self.chapter = chapter
        self.points = points
        self.tests = tests
        self.hiddenTests = hiddenTests
        self.files = files
        self.hint = hint
        self.buildsOn = buildsOn
    }

    enum CodingKeys: String, CodingKey { case id, title, chapter, points, tests, hiddenTests, files, hint, buildsOn }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        title = try c.decode(String.self, forKey: .title)
        chapter = try c.decode(String.self, forKey: .chapter)
        points = try c.decode(Int.self, forKey: .points)
        tests = try c.decode([String].self, forKey: .tests)
        hiddenTests = try c.decodeIfPresent([String].self, forKey: .hiddenTests) ?? []
        files = try c.decode([String].self, forKey: .files)
        hint = try c.decode(String.self, forKey: .hint)
        buildsOn = try c.decodeIfPresent([String].self, forKey: .buildsOn) ?? []
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(title, forKey: .title)
        try c.encode(chapter, forKey: .chapter)
        try c.encode(points, forKey: .points)
        try c.encode(tests, forKey: .tests)
        if !hiddenTests.isEmpty { try c.encode(hiddenTests, forKey: .hiddenTests) }
        try c.encode(files, forKey: .files)
        try c.encode(hint, forKey: .hint)
        if !buildsOn.isEmpty { try c.encode(buildsOn, forKey: .buildsOn) }
    }

    /// Every suite that grades it, hidden ones included when `hidden` is true.
    public func suites(includingHidden hidden: Bool) -> [String] { tests + (hidden ? hiddenTests : []) }

    /// The `--filter` regular expression that selects exactly its suites in the test binary:
    /// `^ExerciseTests\.(Ex03_2|Ex03_2Hidden)/`.
    public func filter(includingHidden hidden: Bool) -> String {
        "^\(Manifest.testModule)\\.(\(suites(includingHidden: hidden).joined(separator: "|")))/"
    }
}

/// `exercises/manifest.json`: the exercises, in the order the grade table lists them.
public struct Manifest: Codable, Equatable, Sendable {
    /// Where the manifest lives, relative to the package root.
    public static let path = "exercises/manifest.json"
    /// The test target whose suites grade the exercises.
    public static let testModule = "ExerciseTests"
    /// Its folder: the teacher's pristine copy replaces a student's when grading.
    public static let testFolder = "Tests/ExerciseTests"
    /// Tests that grade but are never handed out.
    public static let hiddenFolder = "Tests/ExerciseTests/Hidden"

    public var exercises: [Exercise]

    public init(exercises: [Exercise]) { self.exercises = exercises }

    public var totalPoints: Int { exercises.reduce(0) { $0 + $1.points } }

    public func exercise(_ id: String) -> Exercise? { exercises.first { $0.id == id } }

    /// Reads `exercises/manifest.json` under `root`; a malformed file is one line naming the problem.
    public static func load(root: String) throws -> Manifest {
        let file = "\(root)/\(path)"
        guard let data = FileManager.default.contents(atPath: file) else {
            throw GraderError("\(path): cannot read the manifest")
        }
        return try decode(data)
    }

    public static func decode(_ data: Data) throws -> Manifest {
        do {
            return try JSONDecoder().decode(Manifest.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw GraderError("\(path): \(where_(context.codingPath)) is missing \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context) {
            throw GraderError("\(path): \(where_(context.codingPath)): \(context.debugDescription)")
        } catch let DecodingError.valueNotFound(_, context) {
            throw GraderError("\(path): \(where_(context.codingPath)): \(context.debugDescription)")
        } catch {
            throw GraderError("\(path): not valid JSON (\(error.localizedDescription))")
        }
    }

    private static func where_(_ path: [CodingKey]) -> String {
        let parts = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return parts.isEmpty ? "the top level" : String(parts.drop { $0 == "." })
    }
}
