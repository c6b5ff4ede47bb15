import Foundation

/// What a student wrote in place of one stub.
public struct Answer: Equatable, Sendable {
    public let exercise: String
    /// The file, relative to the package root.
    public let file: String
    /// Which region of the file (0-based, in file order).
    public let region: Int
    /// The student's lines (solution markers dropped, blank lines at either end trimmed).
    public let lines: [String]
    /// The 1-based line of the student's file where `lines` start, to name errors as the student
    /// sees them.
    public let firstLine: Int
}

/// A student's answers, read from their copy of the student edition.
///
/// Grading keeps only these lines and takes every other line from the teacher, so a student's
/// edits elsewhere change nothing (and cannot break other exercises). The answer to region i is
/// what lies between the lines the student edition has just before the stub and just after it.
public struct StudentAnswers: Sendable {
    /// Answers by exercise id, each in the order of the exercise's regions in the manifest's files.
    public var answers: [String: [Answer]] = [:]
    /// Exercises that cannot be graded and why (a file missing from the submission, ...).
    public var problems: [String: String] = [:]

    public init(answers: [String: [Answer]] = [:], problems: [String: String] = [:]) {
        self.answers = answers
        self.problems = problems
    }

    /// Reads the answers in `folder` for every region of `files` (the teacher's files, stubbed).
    public static func read(folder: String, files: [StubbedFile]) -> StudentAnswers {
        var result = StudentAnswers()
        for stubbed in files {
            let path = "\(folder)/\(stubbed.file)"
            guard let data = FileManager.default.contents(atPath: path) else {
                for region in stubbed.regions where result.problems[region.id] == nil {
                    result.problems[region.id] = "\(stubbed.file) is missing from the submission"
                }
                continue
            }
            let text = String(decoding: data, as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let spans = locate(student: lines, in: stubbed)
            for (i, region) in stubbed.regions.enumerated() {
                // A copy of the teacher's edition answers with the markers around its code.
                let kept = spans[i].filter { !SolutionRegion.isMarker(lines[$0]) }
                guard let first = kept.first(where: { !lines[$0].trimmingWhitespace().isEmpty }),
                      let last = kept.last(where: { !lines[$0].trimmingWhitespace().isEmpty }) else {
                    result.answers[region.id, default: []].append(
                        Answer(exercise: region.id, file: stubbed.file, region: i, lines: [], firstLine: spans[i].lowerBound + 1))
                    continue
                }
                let body = kept.filter { $0 >= first && $0 <= last }.map { lines[$0] }
                result.answers[region.id, default: []].append(
                    Answer(exercise: region.id, file: stubbed.file, region: i, lines: body, firstLine: first + 1))
            }
        }
        return result
    }

    /// Where each region's answer lies in the student's lines (half-open ranges, in order).
    ///
    /// First try: find every context block whole, in order, comparing lines without their
    /// indentation and skipping blank lines (a student who re-indents or adds a blank line is
    /// still found). When a block was edited, fall back to a longest common subsequence between
    /// the student edition's lines and the student's: region i's answer then lies between the
    /// nearest context lines on either side that the student kept.
    static func locate(student: [String], in stubbed: StubbedFile) -> [Range<Int>] {
        locateByBlocks(student: student, contexts: stubbed.contexts)
            ?? locateByAlignment(student: student, stubbed: stubbed)
    }

    static func key(_ line: String) -> String { line.trimmingWhitespace() }

    static func locateByBlocks(student: [String], contexts: [ArraySlice<String>]) -> [Range<Int>]? {
        let kept = student.indices.filter { !key(student[$0]).isEmpty }   // indices of non-blank lines
        let keys = kept.map { key(student[$0]) }
        let blocks = contexts.map { $0.map(key).filter { !$0.isEmpty } }
        func match(_ block: [String], at p: Int) -> Bool {
            p + block.count <= keys.count && zip(block, keys[p...]).allSatisfy(==)
        }
        // Each non-empty block's first and last-plus-one student line: the first occurrence
        // after the previous block, the last block's last occurrence (an answer may hold lines
        // that look like the next context, never a whole block of them).
        var found: [(start: Int, end: Int)?] = []
        var pos = 0
        for (b, block) in blocks.enumerated() {
            if block.isEmpty { found.append(nil); continue }
            guard pos + block.count <= keys.count else { return nil }
            let candidates = Array(pos...(keys.count - block.count))
            let last = b == blocks.count - 1
            guard let p = last ? candidates.last(where: { match(block, at: $0) })
                               : candidates.first(where: { match(block, at: $0) }) else { return nil }
            found.append((kept[p], kept[p + block.count - 1] + 1))
            pos = p + block.count
        }
        var spans: [Range<Int>] = []
        for i in 0..<(blocks.count - 1) {
            var from = found[...i].compactMap { $0 }.last?.end ?? 0
            from = max(from, spans.last?.upperBound ?? 0)
            let to = found[(i + 1)...].compactMap { $0 }.first?.start ?? student.count
            spans.append(from..<max(from, to))
        }
        return spans
    }

    static func locateByAlignment(student: [String], stubbed: StubbedFile) -> [Range<Int>] {
        let a = stubbed.studentLines.map(key), b = student.map(key)
        let match = longestCommonSubsequence(a, b)   // a's index -> b's index
        var inRegion = [Bool](repeating: false, count: a.count)
        for range in stubbed.stubRanges { for i in range { inRegion[i] = true } }
        var spans: [Range<Int>] = []
        for range in stubbed.stubRanges {
            // Nearest kept context line before and after (blank lines are weak anchors: skip them).
            let before = (0..<range.lowerBound).reversed().first { !inRegion[$0] && !a[$0].isEmpty && match[$0] != nil }
            let after = (range.upperBound..<a.count).first { !inRegion[$0] && !a[$0].isEmpty && match[$0] != nil }
            let from = before.flatMap { match[$0] }.map { $0 + 1 } ?? 0
            let to = after.flatMap { match[$0] } ?? b.count
            let start = max(from, spans.last?.upperBound ?? 0)
            spans.append(start..<max(start, to))
        }
        return spans
    }

    /// For each element of `a`, the index of the element of `b` it is paired with in a longest
    /// common subsequence (nil when unpaired). Files are a few hundred lines: the table is small.
    static func longestCommonSubsequence(_ a: [String], _ b: [String]) -> [Int?] {
        let n = a.count, m = b.count
        var table = [Int32](repeating: 0, count: (n + 1) * (m + 1))
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i * (m + 1) + j] = a[i] == b[j] ? table[(i + 1) * (m + 1) + j + 1] + 1
                    : max(table[(i + 1) * (m + 1) + j], table[i * (m + 1) + j + 1])
            }
        }
        var pairs = [Int?](repeating: nil, count: n)
        var i = 0, j = 0
        while i < n && j < m {
            if a[i] == b[j] { pairs[i] = j; i += 1; j += 1 }
            else if table[(i + 1) * (m + 1) + j] >= table[i * (m + 1) + j + 1] { i += 1 }
            else { j += 1 }
        }
        return pairs
    }
}
