/// Reads what one exercise's test process printed (Swift Testing's console output) and turns
/// it into an outcome and the first failure, one line.
public enum TestRun {
    public static func result(of exercise: Exercise, process: ProcessResult, timeout: Double) -> ExerciseResult {
        let (outcome, message) = judge(process, timeout: timeout)
        return ExerciseResult(id: exercise.id, title: exercise.title, points: exercise.points,
                              earned: outcome == .passed ? exercise.points : 0,
                              outcome: outcome, message: message, seconds: process.seconds)
    }

    /// All-or-nothing: the exercise passes when the process exited 0 after running at least
    /// one test and no test recorded an issue.
    public static func judge(_ process: ProcessResult, timeout: Double) -> (Outcome, String) {
        if process.timedOut {
            return (.timedOut, "stopped after \(formatSeconds(timeout)) (an endless loop?)")
        }
        let lines = withoutColors(process.output).split(separator: "\n").map { String($0).trimmingWhitespace() }
        let testCount = lines.compactMap(testsRun).last
        if process.status == 0 {
            if testCount == 0 || testCount == nil && !lines.contains(where: { $0.contains("passed after") }) {
                return (.noTests, "no test matched (is the suite named in \(Manifest.path)?)")
            }
            return (.passed, "")
        }
        // The stub of an unsolved exercise, or a fail(...) the code under test reached.
        if let line = lines.first(where: { $0.hasPrefix("error: exercise ") }) ?? lines.first(where: { $0.hasPrefix("error: ") }) {
            return (.failed, line)
        }
        let issues = lines.filter { $0.contains(" recorded an issue") }
        if !issues.isEmpty {
            // Every failing expectation, one a line (the first shows in the table), at most ten.
            var shown = issues.prefix(10).map(issue)
            if issues.count > 10 { shown.append("... and \(issues.count - 10) more") }
            return (.failed, shown.joined(separator: "\n"))
        }
        if let line = lines.first(where: { $0.contains("Fatal error") }) {
            return (.failed, "crashed: " + line)
        }
        if let line = lines.first(where: { $0.contains("with ") && $0.contains(" failed after") }) {
            return (.failed, strippedSymbol(line))
        }
        return (.failed, "the test process exited with status \(process.status)")
    }

    /// The text without ANSI colour sequences (ESC [ ... letter).
    static func withoutColors(_ text: String) -> String {
        guard text.contains("\u{1B}") else { return text }
        var out = "", inEscape = false
        for c in text {
            if inEscape {
                if c.isLetter { inEscape = false }
            } else if c == "\u{1B}" {
                inEscape = true
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// `✘ Test foo() recorded an issue at Ex.swift:12:5: Expectation failed: ...` ->
    /// `foo(): Ex.swift:12:5: Expectation failed: ...`.
    /// A hidden test's expectation (its code and values) stays hidden: only its name shows.
    static func issue(_ line: String) -> String {
        let text = strippedSymbol(line)
        if let range = text.range(of: " recorded an issue"), text[range.upperBound...].contains("Hidden.swift:") {
            var name = String(text[..<range.lowerBound])
            if name.hasPrefix("Test ") { name.removeFirst(5) }
            return "\(name): a hidden test failed"
        }
        guard let range = text.range(of: " recorded an issue") else { return text }
        var name = String(text[..<range.lowerBound])
        if name.hasPrefix("Test ") { name.removeFirst(5) }
        var rest = String(text[range.upperBound...])
        if rest.hasPrefix(" at ") { rest.removeFirst(4) }
        if rest.hasPrefix(":") { rest.removeFirst() }
        return "\(name): \(rest.trimmingWhitespace())"
    }

    /// The line without Swift Testing's leading status symbol.
    static func strippedSymbol(_ line: String) -> String {
        guard let first = line.first, !first.isLetter, !first.isNumber else { return line }
        return line.drop { !$0.isLetter }.trimmingWhitespace()
    }

    /// `✔ Test run with 3 tests in 1 suite passed after ...` -> 3.
    static func testsRun(_ line: String) -> Int? {
        guard let range = line.range(of: "Test run with ") else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }

    static func formatSeconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
    }
}
