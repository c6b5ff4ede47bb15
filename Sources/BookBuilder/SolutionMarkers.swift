/// The lines that mark an exercise's reference solution in the sources:
///
///     // BEGIN SOLUTION ex03_2
///     let progress = ...
///     // END SOLUTION
///
/// The book shows the code between them (the teacher's book) but never the marker lines, which
/// are bookkeeping for the grader. A student edition has stubs in place of the regions, so the
/// same include shows the stub there. As in the grader, only a plain `//` comment line can be a
/// marker; a doc comment (`///`) may quote one as an example.
enum SolutionMarkers {
    static func isMarker(_ line: Substring) -> Bool {
        let text = line.drop { $0 == " " || $0 == "\t" }
        guard text.hasPrefix("//"), !text.hasPrefix("///") else { return false }
        return text.hasPrefix("// BEGIN SOLUTION") || text.hasPrefix("// END SOLUTION")
    }

    static func withoutMarkers(_ lines: [Substring]) -> [Substring] {
        lines.filter { !isMarker($0) }
    }
}
