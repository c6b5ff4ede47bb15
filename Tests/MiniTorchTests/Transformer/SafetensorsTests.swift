import Foundation
import Testing
@testable import MiniTorch

/// A safetensors file built by hand: length prefix (or a lie about it), header text, data bytes.
func safetensorsFile(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> Data {
    var out = Data()
    withUnsafeBytes(of: (declaredLength ?? UInt64(header.utf8.count)).littleEndian) { out.append(contentsOf: $0) }
    out.append(contentsOf: Array(header.utf8))
    out.append(contentsOf: data)
    return out
}

func littleEndianBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
}

@Suite("Safetensors")
struct SafetensorsTests {
    let name = "checkpoint.safetensors"

    func message(_ data: Data) -> String? {
        do { _ = try Safetensors.deserialize(data, fileName: name); return nil } catch let e as SafetensorsError { return e.message } catch { return "\(error)" }
    }

    @Test func roundTripKeepsValuesShapesAndMetadata() throws {
        let g = Generator(seed: 3)
        let tensors: [(String, Tensor)] = [
            ("encoder.layer.0.weight", Tensor.randn([3, 4], generator: g)),
            ("bias", Tensor([1.5, -2, .infinity, -0.0])),
            ("scalar", Tensor(scalar: 7)),
            ("empty", Tensor.zeros([0, 3])),
        ]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roberta-st-\(ProcessInfo.processInfo.processIdentifier)-rt")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        try Safetensors.save(tensors, to: url, metadata: ["format": "pt", "note": "quote \" and newline \n"])
        // The write was atomic: only the final file is left in the folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model.safetensors"])
        let (loaded, metadata) = try Safetensors.load(from: url)
        #expect(metadata == ["format": "pt", "note": "quote \" and newline \n"])
        #expect(Set(loaded.keys) == Set(tensors.map(\.0)))
        for (n, t) in tensors {
            #expect(loaded[n]?.shape == t.shape)
            #expect(loaded[n]?.scalars.map(\.bitPattern) == t.scalars.map(\.bitPattern), "\(n)")
        }
    }

    /// The exact bytes of the reference implementation's own `test_serialization` and
    /// `test_empty` (huggingface/safetensors, safetensors/src/tensor.rs).
    @Test func bytesMatchTheReferenceImplementation() throws {
        let attn = Tensor([0, 1, 2, 3, 4, 5], shape: [1, 2, 3])
        let expected: [UInt8] = [
            64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
            116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
            58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
            101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
            0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
        ]
        #expect([UInt8](try Safetensors.serialize([("attn.0", attn)])) == expected)
        #expect([UInt8](try Safetensors.serialize([])) == [8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32])
        let withMetadata: [UInt8] = [
            40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95,
            95, 34, 58, 123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112,
            116, 34, 125, 125, 32, 32, 32, 32, 32,
        ]
        #expect([UInt8](try Safetensors.serialize([], metadata: ["framework": "pt"])) == withMetadata)
    }

    /// A small file checked field by field: prefix, header text and padding, offsets, data.
    @Test func byteLayoutByHand() throws {
        let b = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let a = Tensor([-1, 0.5])
        let bytes = [UInt8](try Safetensors.serialize([("b", b), ("a", a)], metadata: ["format": "pt"]))
        // Names sorted: "a" occupies bytes [0, 8) of the buffer, "b" [8, 32).
        let json = #"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2,3],"data_offsets":[8,32]}}"#
        let padded = json + String(repeating: " ", count: (8 - json.utf8.count % 8) % 8)
        #expect(padded.utf8.count % 8 == 0)
        var length: UInt64 = 0
        for i in (0..<8).reversed() { length = length << 8 | UInt64(bytes[i]) }
        #expect(length == UInt64(padded.utf8.count))
        #expect(String(decoding: bytes[8..<(8 + Int(length))], as: UTF8.self) == padded)
        let buffer = Array(bytes[(8 + Int(length))...])
        #expect(buffer == littleEndianBytes([-1, 0.5, 1, 2, 3, 4, 5, 6]))
        #expect(littleEndianBytes([1]) == [0, 0, 0x80, 0x3F])   // 1.0f is 0x3F800000, little-endian
    }

    @Test func halfAndBFloat16AreConverted() throws {
        // F16: 1.0, -2.0, 65504 (largest), 2^-24 (smallest subnormal); BF16: 1.0, -0.5.
        let f16: [UInt16] = [0x3C00, 0xC000, 0x7BFF, 0x0001]
        let bf16: [UInt16] = [0x3F80, 0xBF00]
        let data = (f16 + bf16).flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        let header = #"{"h":{"dtype":"F16","shape":[4],"data_offsets":[0,8]},"bf":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]}}"#
        let (t, _) = try Safetensors.deserialize(safetensorsFile(header: header, data: data))
        #expect(t["h"]?.scalars == [1, -2, 65504, 0x1p-24])
        #expect(t["bf"]?.scalars == [1, -0.5])
    }

    static let one = #"{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#

    /// Every malformed case and the one line it gets.
    @Test(arguments: [
        (safetensorsFile(header: "{}", declaredLength: 1204) + Data(count: 890),
         "checkpoint.safetensors: header says 1,204 bytes, file has 892 after the 8-byte length"),
        (Data([1, 2, 3]), "checkpoint.safetensors: file has 3 bytes, too few for the 8-byte header length"),
        (safetensorsFile(header: "{\"a\": [1,}"), "checkpoint.safetensors: header is not valid JSON: unexpected '}' at byte 9"),
        (Data([3, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0xFF, 0x7D]), "checkpoint.safetensors: header is not valid UTF-8"),
        (safetensorsFile(header: "[1, 2]"), "checkpoint.safetensors: header is not a JSON object"),
        (safetensorsFile(header: "{\"a\":1}\u{FF}"), "checkpoint.safetensors: header is not valid JSON: unexpected byte 0xc3 after the end of the JSON value at byte 7"),
        (safetensorsFile(header: #"{"w":{"dtype":"F31","shape":[2],"data_offsets":[0,8]}}"#, data: littleEndianBytes([1, 2])),
         "checkpoint.safetensors: tensor 'w' has unknown dtype \"F31\" (known: BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64)"),
        (safetensorsFile(header: #"{"w":{"dtype":"F32","shape":[2,-1],"data_offsets":[0,8]}}"#, data: littleEndianBytes([1, 2])),
         "checkpoint.safetensors: tensor 'w' has a negative dimension in shape [2, -1]"),
        (safetensorsFile(header: #"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#, data: littleEndianBytes([1, 2])),
         "checkpoint.safetensors: tensor 'w' shape [4294967296, 4294967296] has more elements than fit in 64 bits"),
        (safetensorsFile(header: #"{"w":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}"#, data: littleEndianBytes([1, 2])),
         "checkpoint.safetensors: tensor 'w' shape [2.5] must hold whole numbers that fit in 64 bits"),
        (safetensorsFile(header: #"{"w":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,8]}}"#, data: littleEndianBytes([1, 2])),
         "checkpoint.safetensors: tensor 'w' shape [99999999999999999999] must hold whole numbers that fit in 64 bits"),
        (safetensorsFile(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4000]}}"#, data: littleEndianBytes([1, 2])),
         "checkpoint.safetensors: tensor 'w' data_offsets [0, 4000] reach past the 8-byte data buffer"),
        (safetensorsFile(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, data: littleEndianBytes([1, 2])),
         "checkpoint.safetensors: tensor 'w' data_offsets [8, 0] end before they begin"),
        (safetensorsFile(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,-8]}}"#, data: littleEndianBytes([1, 2])),
         "checkpoint.safetensors: tensor 'w' data_offsets must be two non-negative whole numbers [begin, end], got [0,-8]"),
        (safetensorsFile(header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: littleEndianBytes([1, 2])),
         "checkpoint.safetensors: tensor 'w' is F32 [3] = 12 bytes, but data_offsets [0, 8] span 8"),
        (safetensorsFile(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: littleEndianBytes([1, 2, 3])),
         "checkpoint.safetensors: tensors 'a' [0, 8] and 'b' [4, 12] overlap"),
        (safetensorsFile(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}}"#, data: littleEndianBytes([1, 2, 3, 4, 5])),
         "checkpoint.safetensors: 4 unused bytes between 'a' (ends at 8) and 'b' (begins at 12); tensors must be contiguous"),
        (safetensorsFile(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: littleEndianBytes([1, 2, 3])),
         "checkpoint.safetensors: 4 unused bytes at the start of the data buffer, before 'a'"),
        (safetensorsFile(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: littleEndianBytes([1, 2, 3])),
         "checkpoint.safetensors: 4 unused bytes after the last tensor (the data buffer has 12, tensors cover 8)"),
        (safetensorsFile(header: "{\"a\":\(one),\"a\":\(one)}", data: littleEndianBytes([1, 2])),
         "checkpoint.safetensors: 'a' appears twice in the header"),
        (safetensorsFile(header: #"{"__metadata__":{"n":1}}"#), "checkpoint.safetensors: __metadata__ value of 'n' must be a string, got 1"),
        (safetensorsFile(header: #"{"a":{"dtype":"F32","shape":[2]}}"#), "checkpoint.safetensors: tensor 'a' has no data_offsets"),
        (safetensorsFile(header: #"{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)),
         "checkpoint.safetensors: tensor 'a' has dtype I64; MiniTorch loads F32, F16, BF16 and F64"),
        (safetensorsFile(header: String(repeating: "[", count: 100) + String(repeating: "]", count: 100)),
         "checkpoint.safetensors: header is not valid JSON: nested more than 64 levels deep at byte 64"),
    ] as [(Data, String)])
    func malformedFileGetsItsMessage(file: Data, expected: String) {
        #expect(message(file) == expected)
    }

    @Test func headerLengthLargerThanTheLimit() {
        let file = safetensorsFile(header: "{}", declaredLength: 100_000_008)
        #expect(message(file) == "checkpoint.safetensors: header says 100,000,008 bytes, more than the 100,000,000 a safetensors header may have")
    }

    @Test func missingFileAndUnwritableFolderAreErrorsNotCrashes() {
        let missing = URL(fileURLWithPath: "/nonexistent-folder-roberta/model.safetensors")
        #expect(throws: SafetensorsError("/nonexistent-folder-roberta/model.safetensors: cannot read: no such file")) {
            _ = try Safetensors.load(from: missing)
        }
        #expect(throws: SafetensorsError.self) { try Safetensors.save([("a", Tensor([1]))], to: URL(fileURLWithPath: "/dev/null/model.safetensors")) }
        #expect(throws: SafetensorsError("out.safetensors: tensor name 'a' is given twice")) {
            _ = try Safetensors.serialize([("a", Tensor([1])), ("a", Tensor([2]))], fileName: "out.safetensors")
        }
    }

    /// Seeded mutations of valid files (20,000 here; Reliability/SafetensorsFuzzTests runs 100,000
    /// of its own kinds): bit flips, byte overwrites, truncations, insertions,
    /// length-prefix changes and numbers in the header replaced by hostile ones. The reader must
    /// return or throw, never trap. Untouched-structure mutants (data bytes only) must still load.
    @Test func fuzzedFilesNeverCrashTheReader() throws {
        let g = Generator(seed: 2024)
        let seeds: [Data] = try [
            Safetensors.serialize([("w", Tensor.randn([3, 4], generator: g)), ("b", Tensor([1, 2, 3])), ("s", Tensor(scalar: 1))], metadata: ["format": "pt"]),
            Safetensors.serialize([("roberta.embeddings.word_embeddings.weight", Tensor.randn([5, 2], generator: g))]),
            safetensorsFile(header: #"{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"d":{"dtype":"F64","shape":[1],"data_offsets":[4,12]}}"#, data: Array(repeating: 0x3C, count: 12)),
        ]
        let hostile = ["-1", "0", "1", "4", "7", "8", "9223372036854775807", "-9223372036854775808", "18446744073709551616", "1e3", "2.5", "\"x\"", "[]", "null"]
        var loaded = 0, rejected = 0
        let iterations = 20_000
        for _ in 0..<iterations {
            var bytes = [UInt8](seeds[g.int(below: seeds.count)])
            for _ in 0..<(1 + g.int(below: 3)) {
                switch g.int(below: 7) {
                case 0:   // flip one bit
                    let i = g.int(below: bytes.count); bytes[i] ^= UInt8(1 << g.int(below: 8))
                case 1:   // overwrite a byte
                    bytes[g.int(below: bytes.count)] = UInt8(g.int(below: 256))
                case 2:   // truncate
                    bytes = Array(bytes.prefix(g.int(below: bytes.count + 1)))
                case 3:   // insert random bytes
                    let i = g.int(below: bytes.count + 1)
                    bytes.insert(contentsOf: (0..<(1 + g.int(below: 4))).map { _ in UInt8(g.int(below: 256)) }, at: i)
                case 4:   // change the length prefix by a little or a lot
                    if bytes.count >= 8 { bytes[g.int(below: 8)] = UInt8(g.int(below: 256)) }
                case 5:   // replace a number in the header by a hostile token
                    let digits = bytes.enumerated().filter { $0.element >= 0x30 && $0.element <= 0x39 && $0.offset >= 8 }.map(\.offset)
                    if let at = digits.isEmpty ? nil : digits[g.int(below: digits.count)] {
                        bytes.replaceSubrange(at..<(at + 1), with: Array(hostile[g.int(below: hostile.count)].utf8))
                    }
                default:   // mutate a data byte only: the file stays valid
                    if bytes.count > 8 + 64 { bytes[bytes.count - 1 - g.int(below: 4)] ^= 0x01 }
                }
                if bytes.isEmpty { break }
            }
            do { _ = try Safetensors.deserialize(Data(bytes), fileName: "fuzz"); loaded += 1 } catch { rejected += 1 }
        }
        #expect(loaded + rejected == iterations)
        #expect(loaded > 100 && rejected > iterations / 2, "loaded \(loaded), rejected \(rejected)")
    }
}

/// Two layers with a tied weight, enough to check Module.save / Module.load.
final class TiedPair: Module {
    let embed: Embedding
    let head: Linear
    init(vocab: Int, dim: Int, seed: Int) {
        let g = Generator(seed: seed)
        embed = Embedding(numEmbeddings: vocab, embeddingDim: dim, generator: g)
        head = Linear(inFeatures: dim, outFeatures: vocab, generator: g)
        head.weight = embed.weight   // tied, as an MLM decoder
        super.init()
    }
}

@Suite("Module checkpoints")
struct ModuleCheckpointTests {
    func temporaryURL(_ tag: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("roberta-ckpt-\(ProcessInfo.processInfo.processIdentifier)-\(tag).safetensors")
    }

    @Test func saveAndLoadRoundTripWithTiedWeightsStoredOnce() throws {
        let url = temporaryURL("tied")
        defer { try? FileManager.default.removeItem(at: url) }
        let a = TiedPair(vocab: 7, dim: 3, seed: 1)
        try a.save(to: url, metadata: ["format": "pt"])
        let (tensors, _) = try Safetensors.load(from: url)
        #expect(tensors.keys.sorted() == ["embed.weight", "head.bias"])   // head.weight is the tied alias
        let b = TiedPair(vocab: 7, dim: 3, seed: 2)
        #expect(b.embed.weight.scalars != a.embed.weight.scalars)
        #expect(try b.load(from: url) == ["format": "pt"])
        #expect(b.embed.weight.scalars == a.embed.weight.scalars)
        #expect(b.head.weight === b.embed.weight)
        #expect(b.head.bias!.scalars == a.head.bias!.scalars)
    }

    @Test func loadRejectsOtherModelsWithAClearMessage() throws {
        let url = temporaryURL("shape")
        defer { try? FileManager.default.removeItem(at: url) }
        try TiedPair(vocab: 7, dim: 3, seed: 1).save(to: url)
        let file = url.relativePath
        #expect(throws: SafetensorsError("\(file): embed.weight has shape [7, 3] in the file, [8, 3] in the model (was it saved with a different config?)")) {
            try TiedPair(vocab: 8, dim: 3, seed: 1).load(from: url)
        }
        try Safetensors.save([("embed.weight", Tensor.zeros([7, 3])), ("extra", Tensor([1]))], to: url)
        #expect(throws: SafetensorsError("\(file): does not match TiedPair: missing head.bias; unexpected extra (was it saved from a different model or config?)")) {
            try TiedPair(vocab: 7, dim: 3, seed: 1).load(from: url)
        }
    }
}
