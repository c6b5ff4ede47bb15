/// The small JSON reader and writer the safetensors header needs.
///
/// Foundation's JSONSerialization would do most of it, but it silently keeps one of two
/// duplicate keys and rounds big numbers through Double. A checkpoint reader must see both
/// (a duplicated tensor name, a dimension of 2^70), so the header is parsed here: objects keep
/// their keys in order with duplicates, and whole numbers stay exact or are marked as too big.
/// The parser never traps: every malformed input becomes a `HeaderJSON.ParseError`.
enum HeaderJSON: Equatable {
    case object([(key: String, value: HeaderJSON)])
    case array([HeaderJSON])
    case string(String)
    /// A whole number that fits in Int.
    case integer(Int)
    /// Any other number (fraction, exponent, or too big for Int), kept as written.
    case number(String)
    case bool(Bool)
    case null

    static func == (a: HeaderJSON, b: HeaderJSON) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.array(x), .array(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.integer(x), .integer(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    struct ParseError: Error {
        let message: String
        let offset: Int
    }

    /// Parses one JSON value filling all of `bytes` (surrounding whitespace allowed).
    static func parse(_ bytes: [UInt8]) throws(ParseError) -> HeaderJSON {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        if parser.index != bytes.count { throw parser.error("unexpected \(parser.describeNext()) after the end of the JSON value") }
        return value
    }

    /// Compact JSON as serde_json writes it (no spaces; object keys in the given order).
    var serialized: String {
        switch self {
        case .object(let members):
            return "{" + members.map { HeaderJSON.quote($0.key) + ":" + $0.value.serialized }.joined(separator: ",") + "}"
        case .array(let items): return "[" + items.map(\.serialized).joined(separator: ",") + "]"
        case .string(let s): return HeaderJSON.quote(s)
        case .integer(let n): return String(n)
        case .number(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    /// A JSON string literal, escaped as serde_json does (short escapes, \u00XX for other controls).
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        /// A header is three levels deep; a limit keeps hostile nesting from exhausting the stack.
        static let maxDepth = 64

        func error(_ message: String) -> ParseError { ParseError(message: message, offset: index) }

        func describeNext() -> String {
            guard index < bytes.count else { return "end of header" }
            let b = bytes[index]
            return b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
        }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func expect(_ literal: String, _ value: HeaderJSON) throws(ParseError) -> HeaderJSON {
            let utf8 = Array(literal.utf8)
            guard index + utf8.count <= bytes.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
                throw error("unexpected \(describeNext())")
            }
            index += utf8.count
            return value
        }

        mutating func value(depth: Int) throws(ParseError) -> HeaderJSON {
            guard depth < Parser.maxDepth else { throw error("nested more than \(Parser.maxDepth) levels deep") }
            guard index < bytes.count else { throw error("unexpected end of header") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try expect("true", .bool(true))
            case UInt8(ascii: "f"): return try expect("false", .bool(false))
            case UInt8(ascii: "n"): return try expect("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw error("unexpected \(describeNext())")
            }
        }

        mutating func object(depth: Int) throws(ParseError) -> HeaderJSON {
            index += 1   // {
            var members: [(key: String, value: HeaderJSON)] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a quoted key, found \(describeNext())") }
                let key = try string()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after key \"\(key)\", found \(describeNext())") }
                index += 1
                skipWhitespace()
                members.append((key, try value(depth: depth + 1)))
                skipWhitespace()
                guard index < bytes.count else { throw error("unexpected end of header inside an object") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw error("expected ',' or '}', found \(describeNext())")
            }
        }

        mutating func array(depth: Int) throws(ParseError) -> HeaderJSON {
            index += 1   // [
            var items: [HeaderJSON] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                skipWhitespace()
                items.append(try value(depth: depth + 1))
                skipWhitespace()
                guard index < bytes.count else { throw error("unexpected end of header inside an array") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                throw error("expected ',' or ']', found \(describeNext())")
            }
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw error("unexpected end of header in a \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[index]
                let d: UInt8
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
                default: throw error("bad hex digit \(describeNext()) in a \\u escape")
                }
                v = v << 4 | UInt32(d)
                index += 1
            }
            return v
        }

        mutating func string() throws(ParseError) -> String {
            index += 1   // opening quote
            var scalars = String.UnicodeScalarView()
            var runStart = index
            func flushRun(_ end: Int) throws(ParseError) {
                // Raw bytes between escapes must be valid UTF-8 (checked by the caller for the
                // whole header already); decode them as a run.
                if end > runStart { scalars.append(contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars) }
            }
            while index < bytes.count {
                let b = bytes[index]
                if b == UInt8(ascii: "\"") {
                    try flushRun(index)
                    index += 1
                    return String(scalars)
                }
                if b < 0x20 { throw error("control character 0x\(String(b, radix: 16)) inside a string") }
                if b != UInt8(ascii: "\\") { index += 1; continue }
                try flushRun(index)
                index += 1
                guard index < bytes.count else { break }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code) {   // a UTF-16 surrogate pair
                        guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw error("unpaired surrogate in a \\u escape")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate in a \\u escape") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw error("\\u escape is not a character") }
                    scalars.append(scalar)
                default:
                    index -= 1
                    throw error("unknown escape \\\(describeNext())")
                }
                runStart = index
            }
            throw error("unterminated string")
        }

        mutating func number() throws(ParseError) -> HeaderJSON {
            let start = index
            var isInteger = true
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            func digits() -> Int {
                let s = index
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
                return index - s
            }
            let intDigits = digits()
            if intDigits == 0 { throw error("expected a digit, found \(describeNext())") }
            if intDigits > 1 && bytes[index - intDigits] == UInt8(ascii: "0") { throw error("number with a leading zero") }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1; isInteger = false
                if digits() == 0 { throw error("expected a digit after '.', found \(describeNext())") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1; isInteger = false
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                if digits() == 0 { throw error("expected a digit in the exponent, found \(describeNext())") }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if isInteger, let n = Int(text) { return .integer(n) }
            return .number(text)
        }
    }
}
