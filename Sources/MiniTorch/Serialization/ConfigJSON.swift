import Foundation

/// The JSON files of a Hugging Face folder (`config.json`, `tokenizer_config.json`,
/// `adapter_config.json`, ...), read and written as `transformers` does: keys sorted, two-space
/// indent, floats in their shortest form (`1e-05`, `0.1`, never `0.10000000149011612`).
public enum ConfigJSON {
    /// A JSON object with sorted keys and a final newline, as `to_json_string` writes it.
    public static func encode(_ object: [String: Any]) throws -> Data {
        var data = try JSONSerialization.data(withJSONObject: tidy(object), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        data.append(0x0A)
        return data
    }

    /// Reads `url` as one JSON object; throws one line naming the file when it is missing or not
    /// a JSON object.
    public static func read(_ url: URL) throws -> [String: Any] {
        guard let data = try? Data(contentsOf: url) else {
            throw SafetensorsError("\(url.relativePath): not found (a Hugging Face folder has one)")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw SafetensorsError("\(url.relativePath): not a JSON object")
        }
        return object
    }

    /// Floats as the decimal that prints them (Float 0.1 -> 0.1), so files read like Python's.
    static func tidy(_ value: Any) -> Any {
        switch value {
        case let f as Float: return Double("\(f)") ?? Double(f)
        case let d as [String: Any]: return d.mapValues(tidy)
        case let a as [Any]: return a.map(tidy)
        default: return value
        }
    }
}

/// Typed reads from a decoded JSON object, each failing with one line that names the file and
/// the field: `config.json: hidden_size is missing (a number)`.
public struct ConfigFields {
    public let values: [String: Any]
    public let file: String

    public init(_ values: [String: Any], file: String) {
        self.values = values
        self.file = file
    }

    public func int(_ key: String, default fallback: Int? = nil) throws -> Int {
        if let n = values[key] as? NSNumber, Double(n.intValue) == n.doubleValue { return n.intValue }
        if values[key] == nil || values[key] is NSNull, let fallback { return fallback }
        throw SafetensorsError("\(file): \(key) is \(describe(key)) (an integer)")
    }

    public func float(_ key: String, default fallback: Float? = nil) throws -> Float {
        if let n = values[key] as? NSNumber { return n.floatValue }
        if values[key] == nil || values[key] is NSNull, let fallback { return fallback }
        throw SafetensorsError("\(file): \(key) is \(describe(key)) (a number)")
    }

    public func optionalFloat(_ key: String) throws -> Float? {
        if values[key] == nil || values[key] is NSNull { return nil }
        return try float(key)
    }

    public func string(_ key: String, default fallback: String? = nil) throws -> String {
        if let s = values[key] as? String { return s }
        if values[key] == nil || values[key] is NSNull, let fallback { return fallback }
        throw SafetensorsError("\(file): \(key) is \(describe(key)) (a string)")
    }

    public func strings(_ key: String, default fallback: [String]? = nil) throws -> [String] {
        if let a = values[key] as? [String] { return a }
        if let s = values[key] as? String { return [s] }   // PEFT accepts one name or a list
        if values[key] == nil || values[key] is NSNull, let fallback { return fallback }
        throw SafetensorsError("\(file): \(key) is \(describe(key)) (a list of names)")
    }

    public func bool(_ key: String, default fallback: Bool) throws -> Bool {
        if values[key] == nil || values[key] is NSNull { return fallback }
        if let b = values[key] as? Bool { return b }
        throw SafetensorsError("\(file): \(key) is \(describe(key)) (true or false)")
    }

    private func describe(_ key: String) -> String {
        guard let v = values[key], !(v is NSNull) else { return "missing" }
        return "\(v)".count > 40 ? "not readable" : "\(v)"
    }
}
