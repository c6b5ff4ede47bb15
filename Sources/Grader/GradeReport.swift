import Foundation

/// How one exercise's tests ended.
public enum Outcome: String, Codable, Sendable {
    /// Every test of the exercise passed.
    case passed
    /// A test recorded an issue (or the exercise's stub stopped the run).
    case failed
    /// The process did not finish within the time limit.
    case timedOut = "timed out"
    /// The package did not build, so no test ran.
    case notBuilt = "not built"
    /// The filter selected no test at all (a missing suite counts as a failure).
    case noTests = "no tests"
}

/// One row of the grade table.
public struct ExerciseResult: Codable, Equatable, Sendable {
    public let id: String
    public let title: String
    public let points: Int
    public let earned: Int
    public let outcome: Outcome
    /// The first failure, one line; empty when passed.
    public let message: String
    public let seconds: Double

    public init(id: String, title: String, points: Int, earned: Int, outcome: Outcome, message: String, seconds: Double) {
        self.id = id
        self.title = title
        self.points = points
        self.earned = earned
        self.outcome = outcome
        self.message = message
        self.seconds = seconds
    }
}

/// One student's results and total: printed as a table, saved as `grades/<name>.json`.
public struct GradeReport: Codable, Equatable, Sendable {
    /// The student's name in the gradebook (the folder's name).
    public let name: String
    /// The folder that was graded.
    public let submission: String
    public let results: [ExerciseResult]

    public init(name: String, submission: String, results: [ExerciseResult]) {
        self.name = name
        self.submission = submission
        self.results = results
    }

    public var earned: Int { results.reduce(0) { $0 + $1.earned } }
    public var possible: Int { results.reduce(0) { $0 + $1.points } }

    enum CodingKeys: String, CodingKey { case name, submission, earned, possible, results }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(submission, forKey: .submission)
        try c.encode(earned, forKey: .earned)
        try c.encode(possible, forKey: .possible)
        try c.encode(results, forKey: .results)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        submission = try c.decode(String.self, forKey: .submission)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        results = try c.decode([ExerciseResult].self, forKey: .results)
    }

    /// The report as JSON: pretty-printed, keys sorted, so two runs diff cleanly.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }

    /// The table a teacher reads; messages are cut to `width` characters.
    ///
    ///     exercise  title                          points  result
    ///     ex00_1    the numerically stable softmax  2 / 2  passed
    ///     ex00_2    the sigmoid backward            0 / 1  failed: error: exercise ex00_2 ...
    ///     total                                     2 / 3
    public func table(messageWidth width: Int = 100) -> String {
        let pointsText = results.map { "\($0.earned) / \($0.points)" }
        let totalText = "\(earned) / \(possible)"
        let idWidth = max("exercise".count, "total".count, results.map(\.id.count).max() ?? 0)
        let titleWidth = max("title".count, results.map(\.title.count).max() ?? 0)
        let pointsWidth = max("points".count, totalText.count, pointsText.map(\.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        func padLeft(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        var lines = ["\(pad("exercise", idWidth))  \(pad("title", titleWidth))  \(padLeft("points", pointsWidth))  result"]
        for (result, points) in zip(results, pointsText) {
            var outcome = result.outcome.rawValue
            if let first = result.message.split(separator: "\n").first { outcome += ": " + first }
            if outcome.count > width { outcome = String(outcome.prefix(width - 3)) + "..." }
            lines.append("\(pad(result.id, idWidth))  \(pad(result.title, titleWidth))  \(padLeft(points, pointsWidth))  \(outcome)")
        }
        lines.append("\(pad("total", idWidth))  \(pad("", titleWidth))  \(padLeft(totalText, pointsWidth))")
        return lines.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n") + "\n"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
