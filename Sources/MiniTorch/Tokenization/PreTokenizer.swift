/// GPT-2's pre-tokenisation: text is cut into pieces before BPE, and merges never cross a cut.
///
/// The pattern, from OpenAI's gpt-2 `encoder.py` and the `tokenizers` ByteLevel pre-tokenizer
/// (`byte_level.rs`), is
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// tried left to right at each position: an English contraction; letters, numbers or other
/// symbols, each run taking one space in front of it (so " the" is one piece and the space belongs
/// to the word after it); then a whitespace run, which leaves its last character to the next piece
/// when a word follows (`\s+(?!\S)`), so "a   b" splits as "a", "  ", " b". It is written out here
/// as a scanner over bytes instead of a regular expression: every byte string can be split,
/// including invalid UTF-8, whose bytes count as "other symbols" one by one (as Python's regex sees
/// the U+FFFD that replaces them).
public enum PreTokenizer {
    /// The character classes the pattern tells apart.
    enum CharacterClass { case letter, number, space, other }

    /// The class of each ASCII byte, looked up instead of asking Unicode for the common case.
    static let asciiClass: [CharacterClass] = (0..<128).map { byte in
        let scalar = Unicode.Scalar(UInt8(byte))
        if scalar.properties.isWhitespace { return .space }
        if (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) { return .letter }
        if (0x30...0x39).contains(byte) { return .number }
        return .other
    }

    /// Splits `bytes` into pieces; their ranges cover the input in order, with no gaps.
    public static func split(_ bytes: [UInt8]) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        bytes.withUnsafeBufferPointer { buffer in forEachPiece(buffer) { pieces.append($0) } }
        return pieces
    }

    /// The pieces of `text`, as strings: `pieces("Hello, world")` -> ["Hello", ",", " world"].
    public static func pieces(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return split(bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    /// Calls `body` with each piece's range, in order. The scanner behind `split`, without an array.
    @inline(__always)
    public static func forEachPiece(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        let n = bytes.count
        var start = 0
        while start < n {
            let end = pieceEnd(bytes, from: start)
            body(start..<end)
            start = end
        }
    }

    /// Where the piece that starts at `i` ends: the pattern's alternatives, in its order.
    // ANCHOR: piece-end
    @inline(__always)
    static func pieceEnd(_ bytes: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        let n = bytes.count
        let first = bytes[i]
        // 's|'t|'re|'ve|'m|'ll|'d — lower case only, as in GPT-2.
        if first == UInt8(ascii: "'"), i + 1 < n {
            let c1 = bytes[i + 1]
            if c1 == UInt8(ascii: "s") || c1 == UInt8(ascii: "t") || c1 == UInt8(ascii: "m") || c1 == UInt8(ascii: "d") { return i + 2 }
            if i + 2 < n {
                let c2 = bytes[i + 2]
                if (c1 == UInt8(ascii: "r") && c2 == UInt8(ascii: "e")) || (c1 == UInt8(ascii: "v") && c2 == UInt8(ascii: "e"))
                    || (c1 == UInt8(ascii: "l") && c2 == UInt8(ascii: "l")) { return i + 3 }
            }
        }
        let (firstClass, firstLength) = classify(bytes, at: i)
        // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: a run of one class, with one space before it.
        var runStart = i
        var runClass = firstClass
        var runLength = firstLength
        if first == 0x20, i + 1 < n {
            let (nextClass, nextLength) = classify(bytes, at: i + 1)
            if nextClass != .space { runStart = i + 1; runClass = nextClass; runLength = nextLength }
        }
        if runClass != .space {
            var j = runStart + runLength
            while j < n {
                let (c, length) = classify(bytes, at: j)
                if c != runClass { break }
                j += length
            }
            return j
        }
        // `\s+(?!\S)` then `\s+`: a whitespace run; when a non-space follows it, its last character
        // is left to start the next piece, unless the run is a single character.
        var j = i + firstLength
        var lastStart = i
        while j < n {
            let (c, length) = classify(bytes, at: j)
            if c != .space { return lastStart > i ? lastStart : j }
            lastStart = j
            j += length
        }
        return n
    }
    // ANCHOR_END: piece-end

    /// The class and UTF-8 length of the character at `i`; a byte that does not start a valid
    /// UTF-8 sequence is one "other" character on its own.
    @inline(__always)
    static func classify(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (CharacterClass, Int) {
        let b0 = bytes[i]
        if b0 < 0x80 { return (asciiClass[Int(b0)], 1) }
        guard let (scalar, length) = decodeScalar(bytes, at: i) else { return (.other, 1) }
        let properties = scalar.properties
        if properties.isWhitespace { return (.space, length) }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return (.letter, length)
        case .decimalNumber, .letterNumber, .otherNumber:
            return (.number, length)
        default:
            return (.other, length)
        }
    }

    /// One UTF-8 sequence starting at `i` (shortest form, no surrogates, at most U+10FFFF).
    static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int)? {
        let b0 = UInt32(bytes[i])
        let length: Int
        var value: UInt32
        var minimum: UInt32
        switch b0 {
        case 0xC2...0xDF: length = 2; value = b0 & 0x1F; minimum = 0x80
        case 0xE0...0xEF: length = 3; value = b0 & 0x0F; minimum = 0x800
        case 0xF0...0xF4: length = 4; value = b0 & 0x07; minimum = 0x10000
        default: return nil
        }
        guard i + length <= bytes.count else { return nil }
        for k in 1..<length {
            let b = UInt32(bytes[i + k])
            guard b & 0xC0 == 0x80 else { return nil }
            value = value << 6 | (b & 0x3F)
        }
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }
}
