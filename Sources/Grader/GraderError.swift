/// A problem the grader reports as one line a teacher can act on (`exercises/manifest.json:
/// ex03_2: ...`). Several problems found together are joined by newlines.
public struct GraderError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
    public init(all problems: [String]) { description = problems.joined(separator: "\n") }
}
