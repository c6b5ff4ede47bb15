/// A compiler error read from `swift build`'s output: the `file:line:column: error: message` line
/// and the excerpt the compiler prints under it (numbered source lines and the caret lines).
public struct CompilerError: Codable, Equatable, Sendable {
    public let path: String
    public let line: Int
    public let column: Int
    public let message: String
    /// The excerpt's lines as printed: ` 12 |     x + 1` and `    |     `- error: ...`.
    public let excerpt: [String]

    /// Every error in `output`, in order, each once (the driver may print one twice).
    public static func parse(_ output: String) -> [CompilerError] {
        var errors: [CompilerError] = []
        var current: CompilerError?
        func flush() {
            if let c = current, !errors.contains(where: { $0.path == c.path && $0.line == c.line && $0.column == c.column && $0.message == c.message }) {
                errors.append(c)
            }
            current = nil
        }
        for raw in output.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if let header = header(line) {
                flush()
                if header.severity == "error" {
                    current = CompilerError(path: header.path, line: header.line, column: header.column,
                                            message: header.message, excerpt: [])
                }
            } else if let c = current, isExcerpt(line) {
                current = CompilerError(path: c.path, line: c.line, column: c.column, message: c.message, excerpt: c.excerpt + [line])
            } else {
                flush()
            }
        }
        flush()
        return errors
    }

    /// `/path/File.swift:12:5: error: message` -> its parts.
    static func header(_ line: String) -> (path: String, line: Int, column: Int, severity: String, message: String)? {
        for severity in ["error", "warning", "note"] {
            guard let marker = line.range(of: ": \(severity): ") else { continue }
            let location = line[..<marker.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
            guard location.count >= 3, let column = Int(location[location.count - 1]),
                  let number = Int(location[location.count - 2]) else { continue }
            let path = location[..<(location.count - 2)].joined(separator: ":")
            guard path.hasSuffix(".swift") else { continue }
            return (path, number, column, severity, String(line[marker.upperBound...]))
        }
        return nil
    }

    /// An excerpt line: optional spaces, an optional line number, ` |`.
    static func isExcerpt(_ line: String) -> Bool {
        let t = line.drop { $0 == " " }.drop { $0.isNumber }
        return t.hasPrefix(" |") || t.hasPrefix("|")
    }

    /// The excerpt's line number, when the line has one.
    static func excerptNumber(_ line: String) -> Int? {
        Int(line.drop { $0 == " " }.prefix { $0.isNumber })
    }

    /// The error as a student should read it: named at `file` with line numbers moved by
    /// `shift` (the tree's line + shift = the student's line), and only the excerpt lines within
    /// `shown` (tree lines: the student's own code; never the teacher's or another student's).
    public func translated(file: String, shown: ClosedRange<Int>, shift: Int) -> String {
        let at = shown.contains(line) ? line + shift : shown.lowerBound + shift
        var out = ["\(file):\(at):\(column): error: \(message)"]
        var keeping = false
        for excerptLine in excerpt {
            if let n = Self.excerptNumber(excerptLine) {
                keeping = shown.contains(n)
                guard keeping else { continue }
                let rest = excerptLine.drop { $0 == " " }.drop { $0.isNumber }
                out.append("\(n + shift)\(rest)")
            } else if keeping {
                out.append(String(excerptLine.drop { $0 == " " }))
            }
        }
        // Line numbers of different widths: pad them so the bars line up.
        let width = out.dropFirst().compactMap { Self.excerptNumber($0).map { String($0).count } }.max() ?? 0
        return ([out[0]] + out.dropFirst().map { line -> String in
            let digits = line.prefix { $0.isNumber }
            return String(repeating: " ", count: digits.isEmpty ? width + 2 : width - digits.count + 1) + line
        }).joined(separator: "\n")
    }
}

/// A compile error in one answer, kept with where the answer sat in the tree, so it can be
/// named at the file and line of every student who wrote that answer (and remembered for the
/// next grading).
public struct AnswerError: Codable, Equatable, Sendable {
    public let region: Int
    public let error: CompilerError
    /// False when the error lies just outside the answer (caused by it, named at its first line).
    public let inside: Bool
    /// The tree line of the answer's first line, and its number of lines.
    public let codeStart: Int
    public let lineCount: Int

    public init(_ error: CompilerError, block: VariantBlock, lineCount: Int) {
        region = block.region
        self.error = error
        inside = true
        codeStart = block.codeStart
        self.lineCount = lineCount
    }

    public init(outside error: CompilerError, region: Int) {
        self.region = region
        self.error = error
        inside = false
        codeStart = 1
        lineCount = 1
    }

    /// "not built": the student's file and line, the compiler's whole first error.
    public func message(for answer: Answer?) -> String {
        let file = answer?.file ?? "?", first = answer?.firstLine ?? 1
        guard inside else {
            return "\(file):\(first): error: the compiler stopped just outside this answer, probably because of it: \(error.message)"
        }
        return error.translated(file: file, shown: codeStart...(codeStart + max(1, lineCount) - 1), shift: first - codeStart)
    }
}

/// FNV-1a, 64 bits, as hex: a stable key for a text (Foundation on Linux has no digests).
func fnv1a(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    return String(hash, radix: 16)
}
