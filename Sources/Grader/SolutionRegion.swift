/// The lines of a reference solution inside a function body:
///
///     // BEGIN SOLUTION ex03_2
///     let progress = ...
///     return ...
///     // END SOLUTION
///
/// `make student` replaces each region (markers included) by a stub that calls
/// `exerciseNotSolved(...)`, so the rest of the file is unchanged. Regions do not nest; one
/// exercise may have several regions (a forward and its backward), in one file or several.
public struct SolutionRegion: Equatable, Sendable {
    public let id: String
    public let file: String
    /// 1-based line numbers of the BEGIN and END markers.
    public let begin: Int
    public let end: Int
    /// The BEGIN marker's leading whitespace, which the stub keeps.
    public let indentation: String
    /// The solution's lines, between the markers.
    public let body: [String]

    static let beginMarker = "// BEGIN SOLUTION"
    static let endMarker = "// END SOLUTION"

    /// Every region in `text`, in order. Malformed markers (no id, END without BEGIN, a region
    /// never closed, regions inside each other, an END naming another id) throw with the line.
    public static func find(in text: String, file: String) throws -> [SolutionRegion] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var regions: [SolutionRegion] = []
        var open: (id: String, line: Int, indentation: String)?
        for (index, line) in lines.enumerated() {
            let number = index + 1
            let trimmed = line.trimmingWhitespace()
            // Only comment lines can be markers; doc comments (`///`) may show one as an example.
            guard trimmed.hasPrefix("//"), !trimmed.hasPrefix("///"),
                  trimmed.contains("BEGIN SOLUTION") || trimmed.contains("END SOLUTION") else { continue }
            if trimmed.hasPrefix(beginMarker) {
                let id = trimmed.dropFirst(beginMarker.count).trimmingWhitespace()
                guard isExerciseID(id) else {
                    throw GraderError("\(file):\(number): '\(trimmed)' needs an exercise id such as ex03_2")
                }
                if let outer = open {
                    throw GraderError("\(file):\(number): BEGIN SOLUTION \(id) inside \(outer.id) (opened at line \(outer.line)): regions cannot nest")
                }
                open = (id, number, String(line.prefix { $0 == " " || $0 == "\t" }))
            } else if trimmed.hasPrefix(endMarker) {
                let named = trimmed.dropFirst(endMarker.count).trimmingWhitespace()
                guard let region = open else {
                    throw GraderError("\(file):\(number): END SOLUTION without a BEGIN SOLUTION before it")
                }
                if !named.isEmpty && named != region.id {
                    throw GraderError("\(file):\(number): END SOLUTION \(named) closes \(region.id) (opened at line \(region.line))")
                }
                regions.append(SolutionRegion(id: region.id, file: file, begin: region.line, end: number,
                                              indentation: region.indentation,
                                              body: Array(lines[region.line..<index])))
                open = nil
            } else {
                throw GraderError("\(file):\(number): '\(trimmed)' is not a solution marker; write '// BEGIN SOLUTION ex03_2' or '// END SOLUTION' on a line of its own")
            }
        }
        if let region = open {
            throw GraderError("\(file):\(region.line): BEGIN SOLUTION \(region.id) is never closed by // END SOLUTION")
        }
        return regions
    }

    /// True for a BEGIN or END SOLUTION line (an answer copied from the teacher's edition has them).
    static func isMarker(_ line: String) -> Bool {
        let t = line.trimmingWhitespace()
        return t.hasPrefix(beginMarker) || t.hasPrefix(endMarker)
    }

    /// `ex` + two digits + `_` + a number: ex03_2, ex00_12.
    public static func isExerciseID(_ id: String) -> Bool {
        let parts = id.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[0].hasPrefix("ex"),
              parts[0].dropFirst(2).allSatisfy(\.isASCIIDigitCharacter),
              !parts[1].isEmpty, parts[1].allSatisfy(\.isASCIIDigitCharacter) else { return false }
        return true
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and carriage returns.
    func trimmingWhitespace() -> String {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return String(self[start..<Swift.max(start, end)])
    }
}
