/// What a solution region becomes in the student edition: a comment saying what to write and
/// a call that keeps the function compiling and stops a run that reaches it.
///
///     // EXERCISE ex03_2: the cosine schedule with warmup. Replace the next line with your code.
///     // Read Lessons/03-lr-schedules/chapter.md. Hint: ...
///     exerciseNotSolved("ex03_2", "the cosine schedule with warmup", chapter: "Lessons/03-lr-schedules/chapter.md", file: "Sources/MiniTorch/Optim/LRSchedule.swift")
public enum Stub {
    public static func lines(for exercise: Exercise, file: String, indentation: String) -> [String] {
        var lines = [
            "// EXERCISE \(exercise.id): \(exercise.title). Replace the next line with your code.",
            "// Read \(exercise.chapter). Hint: \(exercise.hint)",
            "exerciseNotSolved(\(literal(exercise.id)), \(literal(exercise.title)), chapter: \(literal(exercise.chapter)), file: \(literal(file)))",
        ]
        if !exercise.buildsOn.isEmpty {
            lines.insert("// Its tests also run \(exercise.buildsOn.joined(separator: " and ")): solve that first.", at: 2)
        }
        lines = lines.map { indentation + $0.replacingNewlines() }
        return lines
    }

    /// A Swift string literal holding `text`.
    static func literal(_ text: String) -> String {
        var out = "\""
        for c in text {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out + "\""
    }

    /// Replaces every solution region in `text` by its stub; `text` unchanged when it has none.
    /// A region whose id the manifest does not list throws.
    public static func strip(_ text: String, file: String, manifest: Manifest) throws -> String {
        try StubbedFile(text, file: file, manifest: manifest).studentText
    }
}

/// A teacher's file and the student edition's version of it, region by region: the student
/// file is `context[0]`, stub 1, `context[1]`, ..., stub k, `context[k]`, where the context
/// lines are the teacher's lines outside every region, unchanged.
public struct StubbedFile: Sendable {
    public let file: String
    public let teacherLines: [String]
    public let regions: [SolutionRegion]
    /// The student edition's lines.
    public let studentLines: [String]
    /// Where each region's stub sits in `studentLines` (0-based, half-open), in region order.
    public let stubRanges: [Range<Int>]

    public init(_ text: String, file: String, manifest: Manifest) throws {
        self.file = file
        teacherLines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        regions = try SolutionRegion.find(in: text, file: file)
        var lines: [String] = [], ranges: [Range<Int>] = []
        var next = 0   // the next teacher line (0-based) to copy
        for region in regions {
            guard let exercise = manifest.exercise(region.id) else {
                throw GraderError("\(file):\(region.begin): BEGIN SOLUTION \(region.id): no exercise \(region.id) in \(Manifest.path)")
            }
            lines += teacherLines[next..<(region.begin - 1)]
            let stub = Stub.lines(for: exercise, file: file, indentation: region.indentation)
            ranges.append(lines.count..<(lines.count + stub.count))
            lines += stub
            next = region.end
        }
        lines += teacherLines[next...]
        studentLines = lines
        stubRanges = ranges
    }

    public var studentText: String { studentLines.joined(separator: "\n") }

    /// The student edition's lines around the regions: `contexts[i]` comes before region i,
    /// the last one after the last region.
    public var contexts: [ArraySlice<String>] {
        var out: [ArraySlice<String>] = [], start = 0
        for range in stubRanges {
            out.append(studentLines[start..<range.lowerBound])
            start = range.upperBound
        }
        out.append(studentLines[start...])
        return out
    }

    /// The stub of region `i`, as the student edition shows it.
    public func stub(_ i: Int) -> [String] { Array(studentLines[stubRanges[i]]) }
}

extension String {
    /// Newlines as spaces, so a hint stays on its comment line.
    func replacingNewlines() -> String { String(map { $0 == "\n" ? " " : $0 }) }
}
