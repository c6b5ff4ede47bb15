import Foundation

/// A safetensors file that cannot be read or written, with one line that says why and names the
/// file: `checkpoint.safetensors: header says 1,204 bytes, file has 900 after the 8-byte length`.
public struct SafetensorsError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Reads and writes the safetensors format, so checkpoints move between MiniTorch and PyTorch.
///
/// The layout, as the format's README and its reference implementation
/// (huggingface/safetensors, safetensors/src/tensor.rs) define it:
///
///     8 bytes     N, the header length, an unsigned 64-bit little-endian integer
///     N bytes     UTF-8 JSON: {"__metadata__": {"k": "v"}, "name": {"dtype": "F32",
///                 "shape": [2, 3], "data_offsets": [begin, end]}, ...}
///                 padded with spaces to a multiple of 8 so the data stays aligned
///     the rest    the byte buffer: each tensor's elements, little-endian, row-major;
///                 data_offsets count from the start of this buffer, not of the file
///
/// Like the reference writer, `save` lays tensors out in sorted-name order (it sorts by dtype
/// alignment first; MiniTorch writes only F32), back to back with no gaps. The reader trusts
/// nothing: every number in the header is checked, with overflow-checked arithmetic, before a
/// byte of data is touched, and every failure is a `SafetensorsError`, never a crash.
public enum Safetensors {
    /// The element types of the format (reference `Dtype`), with their sizes in bytes.
    public enum DType: String, CaseIterable, Sendable {
        case BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64

        public var size: Int {
            switch self {
            case .BOOL, .U8, .I8, .F8_E5M2, .F8_E4M3: return 1
            case .I16, .U16, .F16, .BF16: return 2
            case .I32, .U32, .F32: return 4
            case .F64, .I64, .U64: return 8
            }
        }

        /// The types MiniTorch converts to Float32 when loading.
        public var isLoadable: Bool { [.F32, .F16, .BF16, .F64].contains(self) }
    }

    /// The reference reader's limit (MAX_HEADER_SIZE): no real header comes near it.
    public static let maxHeaderBytes = 100_000_000

    // MARK: Writing

    /// Writes `tensors` (F32) and string `metadata` to `url`, atomically: the bytes go to a
    /// temporary file beside it that is renamed over `url` only when complete, so an
    /// interrupted save leaves the previous file intact.
    public static func save(_ tensors: [(String, Tensor)], to url: URL, metadata: [String: String] = [:]) throws {
        let data = try serialize(tensors, metadata: metadata, fileName: url.relativePath)
        do {
            try AtomicFile.write(data, to: url)
        } catch {
            throw SafetensorsError("\(error)")   // "cannot write <path>: <reason>"
        }
    }

    /// The file's bytes, as the reference `serialize`: length, padded header, data.
    public static func serialize(_ tensors: [(String, Tensor)], metadata: [String: String] = [:], fileName: String = "safetensors") throws -> Data {
        var seen = Set<String>()
        for (name, _) in tensors {
            if name == "__metadata__" { throw SafetensorsError("\(fileName): a tensor cannot be named __metadata__ (the header reserves it)") }
            if !seen.insert(name).inserted { throw SafetensorsError("\(fileName): tensor name '\(name)' is given twice") }
        }
        let ordered = tensors.sorted { $0.0 < $1.0 }

        var header: [(key: String, value: HeaderJSON)] = []
        if !metadata.isEmpty {
            header.append(("__metadata__", .object(metadata.keys.sorted().map { ($0, .string(metadata[$0]!)) })))
        }
        var offset = 0
        for (name, t) in ordered {
            let end = offset + t.count * DType.F32.size
            header.append((name, .object([
                ("dtype", .string(DType.F32.rawValue)),
                ("shape", .array(t.shape.map { .integer($0) })),
                ("data_offsets", .array([.integer(offset), .integer(end)])),
            ])))
            offset = end
        }
        var headerBytes = Array(HeaderJSON.object(header).serialized.utf8)
        headerBytes += [UInt8](repeating: UInt8(ascii: " "), count: (8 - headerBytes.count % 8) % 8)

        var out = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: headerBytes)
        for (_, t) in ordered {
            var bytes = [UInt8](repeating: 0, count: t.count * 4)
            bytes.withUnsafeMutableBytes { raw in
                let p = t.pointer
                for i in 0..<t.count { raw.storeBytes(of: p[i].bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self) }
            }
            out.append(contentsOf: bytes)
        }
        return out
    }

    // MARK: Reading

    /// Reads every tensor (converted to Float32) and the metadata of the file at `url`.
    public static func load(from url: URL) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let missing = !FileManager.default.fileExists(atPath: url.path)
            throw SafetensorsError("\(url.relativePath): cannot read: \(missing ? "no such file" : error.localizedDescription)")
        }
        return try deserialize(data, fileName: url.relativePath)
    }

    /// Parses a whole file held in memory; `fileName` only names it in error messages.
    public static func deserialize(_ data: Data, fileName: String = "safetensors") throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let bytes = [UInt8](data)
        // Tensor names may hold any escaped character (a newline too): spell controls as escapes
        // so the message stays one line.
        func failure(_ message: String) -> SafetensorsError { SafetensorsError("\(fileName): \(oneLine(message))") }

        // 1. The length prefix, and a header that fits inside the file.
        guard bytes.count >= 8 else {
            throw failure("file has \(grouped(bytes.count)) bytes, too few for the 8-byte header length")
        }
        var n64: UInt64 = 0
        for i in (0..<8).reversed() { n64 = n64 << 8 | UInt64(bytes[i]) }
        guard n64 <= UInt64(maxHeaderBytes) else {
            throw failure("header says \(grouped(n64)) bytes, more than the \(grouped(maxHeaderBytes)) a safetensors header may have")
        }
        let n = Int(n64)
        let available = bytes.count - 8
        guard n <= available else {
            throw failure("header says \(grouped(n)) bytes, file has \(grouped(available)) after the 8-byte length")
        }

        // 2. The header: UTF-8 JSON, an object.
        let headerBytes = Array(bytes[8..<(8 + n)])
        guard String(validating: headerBytes, as: UTF8.self) != nil else { throw failure("header is not valid UTF-8") }
        let json: HeaderJSON
        do {
            json = try HeaderJSON.parse(headerBytes)
        } catch {
            throw failure("header is not valid JSON: \(error.message) at byte \(grouped(error.offset))")
        }
        guard case .object(let members) = json else { throw failure("header is not a JSON object") }

        // 3. Each entry: known dtype, non-negative shape, offsets whose span is the tensor's size.
        struct Entry { let name: String; let dtype: DType; let shape: [Int]; let begin: Int; let end: Int }
        let bufferLength = available - n
        var entries: [Entry] = []
        var metadata: [String: String] = [:]
        var names = Set<String>()
        for (name, value) in members {
            guard names.insert(name).inserted else { throw failure("'\(name)' appears twice in the header") }
            if name == "__metadata__" {
                guard case .object(let pairs) = value else { throw failure("__metadata__ must be an object of strings") }
                for (key, v) in pairs {
                    guard case .string(let s) = v else { throw failure("__metadata__ value of '\(key)' must be a string, got \(v.serialized)") }
                    if metadata.updateValue(s, forKey: key) != nil { throw failure("__metadata__ key '\(key)' appears twice") }
                }
                continue
            }
            guard case .object(let fields) = value else { throw failure("tensor '\(name)' must be an object with dtype, shape and data_offsets") }
            var fieldMap: [String: HeaderJSON] = [:]
            for (key, v) in fields {
                if fieldMap.updateValue(v, forKey: key) != nil { throw failure("tensor '\(name)' has '\(key)' twice") }
            }
            guard let dtypeValue = fieldMap["dtype"], let shapeValue = fieldMap["shape"], let offsetsValue = fieldMap["data_offsets"] else {
                let missing = ["dtype", "shape", "data_offsets"].filter { fieldMap[$0] == nil }
                throw failure("tensor '\(name)' has no \(missing.joined(separator: " or "))")
            }
            guard case .string(let dtypeName) = dtypeValue, let dtype = DType(rawValue: dtypeName) else {
                throw failure("tensor '\(name)' has unknown dtype \(dtypeValue.serialized) (known: \(DType.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard case .array(let dims) = shapeValue else { throw failure("tensor '\(name)' shape must be a list of whole numbers, got \(shapeValue.serialized)") }
            var shape: [Int] = []
            for d in dims {
                guard case .integer(let k) = d else {
                    throw failure("tensor '\(name)' shape \(shapeValue.serialized) must hold whole numbers that fit in 64 bits")
                }
                guard k >= 0 else { throw failure("tensor '\(name)' has a negative dimension in shape \(show(dims.map { if case .integer(let v) = $0 { v } else { 0 } }))") }
                shape.append(k)
            }
            guard case .array(let offsets) = offsetsValue, offsets.count == 2,
                  case .integer(let begin) = offsets[0], case .integer(let end) = offsets[1], begin >= 0, end >= 0 else {
                throw failure("tensor '\(name)' data_offsets must be two non-negative whole numbers [begin, end], got \(offsetsValue.serialized)")
            }
            guard end >= begin else { throw failure("tensor '\(name)' data_offsets [\(begin), \(end)] end before they begin") }
            guard end <= bufferLength else {
                throw failure("tensor '\(name)' data_offsets [\(begin), \(end)] reach past the \(grouped(bufferLength))-byte data buffer")
            }
            var elements = 1
            for d in shape {
                let (product, overflow) = elements.multipliedReportingOverflow(by: d)
                guard !overflow else { throw failure("tensor '\(name)' shape \(show(shape)) has more elements than fit in 64 bits") }
                elements = product
            }
            let (byteCount, overflow) = elements.multipliedReportingOverflow(by: dtype.size)
            guard !overflow else { throw failure("tensor '\(name)' shape \(show(shape)) x \(dtype.size) bytes overflows 64 bits") }
            guard byteCount == end - begin else {
                throw failure("tensor '\(name)' is \(dtype.rawValue) \(show(shape)) = \(grouped(byteCount)) bytes, but data_offsets [\(begin), \(end)] span \(grouped(end - begin))")
            }
            entries.append(Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end))
        }

        // 4. Together the ranges tile the buffer: start at 0, no overlap, no gap, nothing after.
        let byOffset = entries.sorted { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var position = 0
        var previous: Entry? = nil
        for e in byOffset {
            if e.begin < position, let p = previous {
                throw failure("tensors '\(p.name)' [\(p.begin), \(p.end)] and '\(e.name)' [\(e.begin), \(e.end)] overlap")
            }
            if e.begin > position {
                if let p = previous {
                    throw failure("\(grouped(e.begin - position)) unused bytes between '\(p.name)' (ends at \(p.end)) and '\(e.name)' (begins at \(e.begin)); tensors must be contiguous")
                }
                throw failure("\(grouped(e.begin)) unused bytes at the start of the data buffer, before '\(e.name)'")
            }
            position = e.end
            previous = e
        }
        if position != bufferLength {
            throw failure("\(grouped(bufferLength - position)) unused bytes after the last tensor (the data buffer has \(grouped(bufferLength)), tensors cover \(grouped(position)))")
        }

        // 5. The data, converted to Float32.
        var tensors: [String: Tensor] = [:]
        let base = 8 + n
        for e in entries {
            guard e.dtype.isLoadable else {
                throw failure("tensor '\(e.name)' has dtype \(e.dtype.rawValue); MiniTorch loads F32, F16, BF16 and F64")
            }
            let t = Tensor(uninitializedShape: e.shape)
            let p = t.pointer
            bytes.withUnsafeBytes { raw in
                let start = base + e.begin
                for i in 0..<t.count {
                    switch e.dtype {
                    case .F32:
                        p[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self)))
                    case .F16:
                        p[i] = floatFromHalf(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: start + 2 * i, as: UInt16.self)))
                    case .BF16:   // bfloat16 is the top half of a float32
                        p[i] = Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: start + 2 * i, as: UInt16.self))) << 16)
                    default:
                        p[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start + 8 * i, as: UInt64.self))))
                    }
                }
            }
            tensors[e.name] = t
        }
        return (tensors, metadata)
    }

    /// IEEE 754 half precision (1 sign, 5 exponent, 10 fraction bits) to Float, subnormals included.
    static func floatFromHalf(_ h: UInt16) -> Float {
        let sign: UInt32 = UInt32(h & 0x8000) << 16
        let exponent = Int((h >> 10) & 0x1F), fraction = UInt32(h & 0x3FF)
        let magnitude: Float
        switch exponent {
        case 0: magnitude = Float(fraction) * 0x1p-24                          // subnormal (or zero)
        case 31: magnitude = fraction == 0 ? .infinity : .nan
        default: magnitude = Float(bitPattern: UInt32(exponent - 15 + 127) << 23 | fraction << 13)
        }
        return Float(bitPattern: magnitude.bitPattern | sign)
    }
}

/// 1204 -> "1,204" (Python's `{:,d}`): byte counts in messages, parameter counts in PEFT's line.
func grouped<T: BinaryInteger>(_ n: T) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (n < 0 ? "-" : "") + out
}

/// `text` with control characters written as JSON escapes (`\n`, `\u0000`): one printable line.
func oneLine(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out
}
