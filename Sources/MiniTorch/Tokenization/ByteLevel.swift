/// GPT-2's byte-to-unicode table: every byte gets a printable character, so a token made of any
/// bytes can be written in vocab.json and merges.txt as an ordinary string.
///
/// OpenAI's gpt-2 `encoder.py` (`bytes_to_unicode`, also in Hugging Face `tokenization_gpt2.py`):
/// the 188 bytes that already print as themselves in Latin-1 (`!`..`~`, `¡`..`¬`, `®`..`ÿ`) keep
/// their code point; the other 68 (controls, space, DEL, NBSP, soft hyphen) take 256, 257, ... in
/// byte order. So space (0x20) is `Ġ` (U+0120) and newline (0x0A) is `Ċ` (U+010A).
///
/// Listing the bytes by their character's code point gives `ByteLevel.alphabet`, the order in
/// which both GPT-2's vocab.json and the `tokenizers` trainer give the 256 byte tokens their ids.
public enum ByteLevel {
    /// The character that stands for each byte: `byteToUnicode[0x20] == "Ġ"`.
    public static let byteToUnicode: [Unicode.Scalar] = {
        var printable = Array(UInt32(33)...126) + Array(UInt32(161)...172) + Array(UInt32(174)...255)
        var codes = printable
        var next: UInt32 = 256
        for byte in UInt32(0)...255 where !printable.contains(byte) {
            printable.append(byte)
            codes.append(next)
            next += 1
        }
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        for (byte, code) in zip(printable, codes) { table[Int(byte)] = Unicode.Scalar(code)! }
        return table
    }()

    /// The byte each of the 256 characters stands for (the inverse of `byteToUnicode`).
    public static let unicodeToByte: [Unicode.Scalar: UInt8] = {
        var inverse: [Unicode.Scalar: UInt8] = [:]
        for (byte, scalar) in byteToUnicode.enumerated() { inverse[scalar] = UInt8(byte) }
        return inverse
    }()

    /// The 256 bytes in the order of their characters' code points: `alphabet[0] == 0x21` ("!").
    /// A byte's position here is its token's rank among the byte tokens.
    public static let alphabet: [UInt8] = (0...255).map(UInt8.init).sorted {
        byteToUnicode[Int($0)].value < byteToUnicode[Int($1)].value
    }

    /// Where each byte sits in `alphabet`: `alphabetIndex[0x21] == 0`.
    public static let alphabetIndex: [Int] = {
        var index = [Int](repeating: 0, count: 256)
        for (position, byte) in alphabet.enumerated() { index[Int(byte)] = position }
        return index
    }()

    /// A token's bytes written as GPT-2 writes them: `[0x20, 0x74, 0x68, 0x65]` -> "Ġthe".
    public static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var view = String.UnicodeScalarView()
        for byte in bytes { view.append(byteToUnicode[Int(byte)]) }
        return String(view)
    }

    /// The bytes a token string stands for, or nil when it holds a character outside the table.
    public static func decode(_ token: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            guard let byte = unicodeToByte[scalar] else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
