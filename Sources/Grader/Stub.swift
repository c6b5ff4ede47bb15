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
        let regions = try SolutionRegion.find(in: text, file: file)
        if regions.isEmpty { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for region in regions.reversed() {
            guard let exercise = manifest.exercise(region.id) else {
                throw GraderError("\(file):\(region.begin): BEGIN SOLUTION \(region.id): no exercise \(region.id) in \(Manifest.path)")
            }
            lines.replaceSubrange((region.begin - 1)..<region.end,
                                  with: Stub.lines(for: exercise, file: file, indentation: region.indentation))
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// Newlines as spaces, so a hint stays on its comment line.
    func replacingNewlines() -> String { String(map { $0 == "\n" ? " " : $0 }) }
}
