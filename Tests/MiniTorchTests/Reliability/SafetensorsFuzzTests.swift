import Foundation
import Testing
@testable import MiniTorch

/// Feeds the safetensors reader files nobody should write: random bytes, valid files with
/// bytes flipped, cut short, given a wrong header length or JSON fragments spliced into the
/// header, and headers generated from the format's own words with hostile numbers. Every one
/// must load or be rejected with a one-line `SafetensorsError`; a trap fails the whole run.
///
/// 100,000 files in `make test`; `make fuzz` runs 1,000,000 (MINITORCH_FUZZ_COUNT) and
/// MINITORCH_FUZZ_SEED picks another seeded stream. Files are parsed from memory
/// (`Safetensors.deserialize`, which `load` uses), so nothing touches the disk.
@Suite("Safetensors fuzzing")
struct SafetensorsFuzzTests {
    static var count: Int { ProcessInfo.processInfo.environment["MINITORCH_FUZZ_COUNT"].flatMap { Int($0) } ?? 100_000 }
    static var seed: Int { ProcessInfo.processInfo.environment["MINITORCH_FUZZ_SEED"].flatMap { Int($0) } ?? 10 }

    /// Pieces of safetensors headers, well and badly formed.
    static let fragments = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"",
        "\"F32\"", "\"F16\"", "\"BF16\"", "\"F64\"", "\"I64\"", "\"BOOL\"", "\"f32\"", "\"\"", "null", "true", "false",
        "0", "-0", "1", "-1", "8", "1e400", "-1e400", "1.5", "2e2", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "18446744073709551615", "4611686018427387904", "\"\\u0000\"", "\"\\ud800\"",
        "\"\\uZZZZ\"", "\u{7F}", "\u{00}", "\u{FF}", "\u{1F600}", String(repeating: "[", count: 70), " ", "\n",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
    ]
    static let dtypes = Safetensors.DType.allCases.map(\.rawValue) + ["F31", "", "f32", "F32 "]
    static let hostileNumbers = ["-1", "0", "1", "2", "3", "4", "8", "16", "4611686018427387904", "9223372036854775807",
                                 "-9223372036854775808", "18446744073709551616", "1.0", "1e3", "\"4\"", "null"]

    /// A header made of the format's words: 1-4 tensors with random (or hostile) dtypes, shapes
    /// and offsets, half the time laid out consistently so the data path runs too.
    static func generated(_ g: Generator) -> [UInt8] {
        let consistent = g.int(below: 2) == 0
        var entries: [String] = []
        var offset = 0, previousBegin = 0
        for t in 0..<(1 + g.int(below: 4)) {
            if consistent && g.int(below: 8) == 0 { offset = previousBegin }   // overlaps the previous tensor
            previousBegin = offset
            let dtype = consistent ? ["F32", "F16", "BF16", "F64", "I32", "U8"][g.int(below: 6)] : dtypes[g.int(below: dtypes.count)]
            let size = Safetensors.DType(rawValue: dtype)?.size ?? 4
            let rank = g.int(below: 4)
            var dims: [String] = []
            var elements = 1
            for _ in 0..<rank {
                if consistent { let d = g.int(below: 4); dims.append("\(d)"); elements *= d }
                else { dims.append(hostileNumbers[g.int(below: hostileNumbers.count)]) }
            }
            let begin = consistent ? "\(offset)" : hostileNumbers[g.int(below: hostileNumbers.count)]
            offset += elements * size
            let end = consistent ? "\(offset)" : hostileNumbers[g.int(below: hostileNumbers.count)]
            var fields = ["\"dtype\":\"\(dtype)\"", "\"shape\":[\(dims.joined(separator: ","))]", "\"data_offsets\":[\(begin),\(end)]"]
            if !consistent && g.int(below: 4) == 0 { fields.remove(at: g.int(below: fields.count)) }
            if !consistent && g.int(below: 8) == 0 { fields.append(fields[g.int(below: fields.count)]) }
            let name = consistent ? (t > 0 && g.int(below: 10) == 0 ? t - 1 : t) : g.int(below: 3)   // sometimes a name twice
            entries.append("\"t\(name)\":{\(fields.joined(separator: ","))}")
        }
        if g.int(below: 4) == 0 { entries.insert("\"__metadata__\":{\"format\":\(g.int(below: 2) == 0 ? "\"pt\"" : "1")}", at: 0) }
        let header = Array("{\(entries.joined(separator: ","))}".utf8)
        let dataLength = consistent ? offset + (g.int(below: 4) == 0 ? g.int(below: 3) - 1 : 0) : g.int(below: 64)
        return withLength(header) + (0..<Swift.max(dataLength, 0)).map { _ in UInt8(g.int(below: 256)) }
    }

    static func withLength(_ header: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) } + header
    }

    /// One hostile file. `valid` are well-formed files to mutate.
    static func hostileFile(_ g: Generator, valid: [[UInt8]]) -> [UInt8] {
        switch g.int(below: 10) {
        case 0:   // random bytes
            return (0..<g.int(below: 80)).map { _ in UInt8(g.int(below: 256)) }
        case 1:   // a plausible length, then random bytes
            let body = (0..<g.int(below: 80)).map { _ in UInt8(g.int(below: 256)) }
            return withUnsafeBytes(of: UInt64(g.int(below: body.count + 8)).littleEndian) { Array($0) } + body
        case 2, 3:
            return generated(g)
        default:   // a valid file, mutated 1-4 times
            var bytes = valid[g.int(below: valid.count)]
            for _ in 0..<(1 + g.int(below: 4)) where !bytes.isEmpty {
                let headerLength = bytes.count >= 8 ? Int(bytes[0]) | Int(bytes[1]) << 8 : 0
                switch g.int(below: 6) {
                case 0:   // flip a bit
                    bytes[g.int(below: bytes.count)] ^= UInt8(1 << g.int(below: 8))
                case 1:   // truncate
                    bytes.removeLast(g.int(below: bytes.count + 1))
                case 2:   // change the header length: a little, a lot, or to the whole file
                    guard bytes.count >= 8 else { continue }
                    let n: UInt64 = [UInt64(g.int(below: 200)), UInt64(bytes.count), UInt64(bytes.count - 8),
                                     UInt64.max, UInt64(Int.max), 100_000_001, UInt64(headerLength + 1)][g.int(below: 7)]
                    bytes.replaceSubrange(0..<8, with: withUnsafeBytes(of: n.littleEndian) { Array($0) })
                case 3, 4:   // splice a JSON fragment into the header and fix the length prefix to match
                    guard bytes.count >= 8, headerLength > 0, 8 + headerLength <= bytes.count else { continue }
                    var header = Array(bytes[8..<(8 + headerLength)])
                    let at = g.int(below: header.count + 1)
                    let cut = g.int(below: 3) == 0 ? Swift.min(g.int(below: 6), header.count - at) : 0
                    header.replaceSubrange(at..<(at + cut), with: Array(fragments[g.int(below: fragments.count)].utf8))
                    bytes = withLength(header) + bytes[(8 + headerLength)...]
                default:   // grow or shrink the data buffer
                    if g.int(below: 2) == 0 { bytes += (0..<(1 + g.int(below: 8))).map { _ in UInt8(g.int(below: 256)) } }
                    else { bytes.removeLast(Swift.min(bytes.count, 1 + g.int(below: 8))) }
                }
            }
            return bytes
        }
    }

    @Test func hostileFilesAreRejectedWithOneLineNeverACrash() throws {
        let g = Generator(seed: Self.seed)
        let valid: [[UInt8]] = try [
            Safetensors.serialize([("w", Tensor.randn([3, 4], generator: g)), ("b", Tensor([1, 2, 3])), ("s", Tensor(scalar: 1))], metadata: ["format": "pt"]),
            Safetensors.serialize([("roberta.embeddings.word_embeddings.weight", Tensor.randn([5, 2], generator: g))]),
            Safetensors.serialize([("empty", Tensor.zeros([0, 3])), ("x", Tensor([7]))]),
            Safetensors.serialize([]),
        ].map { [UInt8]($0) }
        var loaded = 0, rejected = 0, badMessages: [String] = []
        let started = Date()
        for _ in 0..<Self.count {
            let file = Self.hostileFile(g, valid: valid)
            do {
                _ = try Safetensors.deserialize(Data(file), fileName: "fuzz")
                loaded += 1
            } catch let error as SafetensorsError {
                rejected += 1
                if error.message.contains("\n") || !error.message.hasPrefix("fuzz: ") { badMessages.append(error.message) }
            }
        }
        let seconds = Date().timeIntervalSince(started)
        print("safetensors fuzz: \(Self.count) files (seed \(Self.seed)) in \(String(format: "%.2f", seconds)) s: \(loaded) loaded, \(rejected) rejected")
        #expect(loaded + rejected == Self.count)
        #expect(badMessages.isEmpty, "\(badMessages.prefix(3))")
        // Both outcomes are common: the mutations reach past the first check.
        #expect(loaded > Self.count / 50 && rejected > Self.count / 2, "loaded \(loaded), rejected \(rejected)")
    }

    /// A name may hold an escaped newline (valid JSON); the message spells it as an escape.
    @Test func controlCharactersInNamesStayOnOneLine() {
        let header = Array(#"{"a\nb":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#.utf8)
        let file = Data(Self.withLength(header) + [UInt8](repeating: 0, count: 8))
        #expect(throws: SafetensorsError(#"fuzz: tensor 'a\nb' is F32 [3] = 12 bytes, but data_offsets [0, 8] span 8"#)) {
            _ = try Safetensors.deserialize(file, fileName: "fuzz")
        }
    }

    /// Every check of the header has fuzzed files that reach it: the reader is not rejecting
    /// everything at the length prefix.
    @Test func fuzzReachesEveryCheck() throws {
        let g = Generator(seed: 3)
        let valid = [[UInt8](try Safetensors.serialize([("w", Tensor.ones([2, 2])), ("b", Tensor([1, 2]))], metadata: ["format": "pt"]))]
        var kinds = Set<String>()
        let checks = ["too few for the 8-byte", "header says", "not valid UTF-8", "not valid JSON", "not a JSON object",
                      "unknown dtype", "negative dimension", "must hold whole numbers", "data_offsets must be",
                      "end before they begin", "reach past", "span", "overlap", "unused bytes", "appears twice", "has no",
                      "MiniTorch loads"]
        for _ in 0..<20_000 {
            do { _ = try Safetensors.deserialize(Data(Self.hostileFile(g, valid: valid)), fileName: "fuzz") } catch let error as SafetensorsError {
                if let kind = checks.first(where: { error.message.contains($0) }) { kinds.insert(kind) }
            }
        }
        #expect(Set(checks).subtracting(kinds).isEmpty, "never reached: \(Set(checks).subtracting(kinds).sorted())")
    }
}
