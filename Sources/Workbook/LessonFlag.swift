import ArgumentParser
import Foundation

/// One command-line flag of a lesson, declared once: its Hugging Face name, the field of the
/// lesson's `Settings` it sets, its help line and the values it accepts. Its default is that
/// field's own default, so a flag is written in one place and a field's default in another:
///
///     static let flags: [LessonFlag<Settings>] = [
///         LessonFlag("--learning-rate", \.learningRate, "Step size of plain SGD.", .positive),
///         LessonFlag("--per-device-train-batch-size", \.perDeviceTrainBatchSize, "Examples per step.", .range(1...480)),
///     ]
///
/// A bad value stops the lesson before it starts with `error: --learning-rate must be a positive
/// number (got 0.0)` and status 2. Rules that tie two flags together (warm-up within the steps)
/// live in `Settings.validate()`, next to the fields.
public struct LessonFlag<Settings>: Sendable {
    /// `--learning-rate`.
    public let name: String
    public let help: String
    /// `<learning-rate>` in the help and in messages (ArgumentParser's spelling), or nil for a switch.
    public let valueName: String?
    /// What the flag accepts, for the help screen: `a positive number`, `1 to 480`.
    public let accepts: String
    /// Reads one value into the settings: parse, check, store. Throws a `ValidationError`.
    let set: @Sendable (inout Settings, String) throws -> Void
    /// The value the settings hold now, as the help screen shows it (the default).
    let current: @Sendable (Settings) -> String

    /// A flag that takes a value: `--learning-rate 3e-4` or `--learning-rate=3e-4`.
    public init<Value: FlagValue>(
        _ name: String, _ field: WritableKeyPath<Settings, Value> & Sendable, _ help: String,
        _ valid: Valid<Value> = .any, valueName: String? = nil
    ) {
        self.init(name, help, valid, valueName, store: { $0[keyPath: field] = $1 }, show: { $0[keyPath: field].flagText })
    }

    /// A flag whose field is optional (nil when the flag is not given): `--save-steps 50`.
    public init<Value: FlagValue>(
        _ name: String, _ field: WritableKeyPath<Settings, Value?> & Sendable, _ help: String,
        _ valid: Valid<Value> = .any, valueName: String? = nil
    ) {
        self.init(name, help, valid, valueName, store: { $0[keyPath: field] = $1 }, show: { $0[keyPath: field]?.flagText ?? "none" })
    }

    /// Reads a value as `Value`, checks it against `valid`, and stores it with `store`.
    private init<Value: FlagValue>(
        _ name: String, _ help: String, _ valid: Valid<Value>, _ valueName: String?,
        store: @escaping @Sendable (inout Settings, Value) -> Void, show: @escaping @Sendable (Settings) -> String
    ) {
        let shown = "<" + (valueName ?? String(name.drop { $0 == "-" })) + ">"
        self.name = name
        self.help = help
        self.valueName = shown
        self.accepts = valid.description.isEmpty ? Value.choices.map { "one of " + $0.joined(separator: ", ") } ?? "" : valid.description
        self.set = { settings, text in
            guard let value = Value(flag: text) else { throw Self.unreadable(text, Value.self, name, shown) }
            if let problem = valid.problem(value) { throw ValidationError("\(name) \(problem)") }
            store(&settings, value)
        }
        self.current = show
    }

    /// An on/off switch: `--double-quant` turns the field on, `--no-double-quant` off.
    public init(switch name: String, _ field: WritableKeyPath<Settings, Bool> & Sendable, _ help: String) {
        self.name = name
        self.help = help
        self.valueName = nil
        self.accepts = ""
        self.set = { settings, text in settings[keyPath: field] = text == "on" }
        self.current = { $0[keyPath: field] ? "on" : "off" }
    }

    /// `--quant-type must be one of nf4, fp4, int4 (got nf5)` for an enum, ArgumentParser's words otherwise.
    static func unreadable<Value: FlagValue>(_ text: String, _: Value.Type, _ name: String, _ shown: String) -> ValidationError {
        if let choices = Value.choices {
            return ValidationError("\(name) must be one of \(choices.joined(separator: ", ")) (got \(text))")
        }
        return ValidationError("the value '\(text)' is invalid for '\(name) \(shown)'")
    }

    /// `--no-double-quant` for the switch `--double-quant`.
    var negation: String? { valueName == nil ? "--no-" + name.dropFirst(2) : nil }
}

/// The values a flag accepts besides its type, and how to say a value is not one of them.
public struct Valid<Value>: Sendable, CustomStringConvertible {
    /// `a positive number`, for the help screen; empty when any value of the type will do.
    public let description: String
    /// What is wrong with a value (`must be at least 1 (got 0)`), or nil when it is accepted.
    let problem: @Sendable (Value) -> String?

    public init(_ description: String, problem: @escaping @Sendable (Value) -> String?) {
        self.description = description
        self.problem = problem
    }

    /// Every value of the type.
    public static var any: Valid { Valid("") { _ in nil } }
}

extension Valid where Value: Comparable & Sendable {
    /// `must be between 1 and 480 (got 0)`. Rejects NaN too (no comparison with NaN holds).
    public static func range(_ range: ClosedRange<Value>) -> Valid {
        Valid("\(range.lowerBound) to \(range.upperBound)") { value in
            range.contains(value) ? nil : "must be between \(range.lowerBound) and \(range.upperBound) (got \(value))"
        }
    }

    /// `must be at least 0 and below 1 (got 1.0)`, for a rate such as dropout.
    public static func range(_ range: Range<Value>) -> Valid {
        Valid("\(range.lowerBound) up to (not including) \(range.upperBound)") { value in
            range.contains(value) ? nil : "must be at least \(range.lowerBound) and below \(range.upperBound) (got \(value))"
        }
    }

    /// `must be at least 1 (got 0)`.
    public static func atLeast(_ minimum: Value) -> Valid {
        Valid("at least \(minimum)") { value in value >= minimum ? nil : "must be at least \(minimum) (got \(value))" }
    }
}

extension Valid where Value: BinaryFloatingPoint & Sendable {
    /// `must be a positive number (got nan)`: NaN and infinity are not.
    public static var positive: Valid {
        Valid("a positive number") { value in
            value.isFinite && value > 0 ? nil : "must be a positive number (got \(value))"
        }
    }

    /// `must be above 0 and below 1 (got 0.0)`, for a probability that must leave room both ways.
    public static func between(_ low: Value, _ high: Value) -> Valid {
        Valid("above \(low) and below \(high)") { value in
            value > low && value < high ? nil : "must be above \(low) and below \(high) (got \(value))"
        }
    }
}

extension Valid where Value: BinaryInteger & Sendable {
    /// `must be positive (got 0)`, for whole numbers.
    public static var positive: Valid {
        Valid("a positive number") { value in value > 0 ? nil : "must be positive (got \(value))" }
    }
}

extension Valid where Value == String {
    /// `must be one of linear, cosine, constant (got exponential)`.
    public static func oneOf(_ choices: [String]) -> Valid {
        let list = choices.joined(separator: ", ")
        return Valid("one of \(list)") { value in choices.contains(value) ? nil : "must be one of \(list) (got \(value))" }
    }
}

/// A type a flag's value can be read as: numbers, text, and enums named by their raw values.
public protocol FlagValue: Sendable {
    init?(flag text: String)
    /// How the help screen shows a value (the default).
    var flagText: String { get }
    /// Every value, when there are few (an enum's cases); nil for numbers and text.
    static var choices: [String]? { get }
}

extension FlagValue {
    public static var choices: [String]? { nil }
}

extension FlagValue where Self: LosslessStringConvertible {
    public init?(flag text: String) { self.init(text) }
    public var flagText: String { description }
}

extension Int: FlagValue {}
extension Double: FlagValue {}
extension Float: FlagValue {}
extension String: FlagValue {
    public var flagText: String { "\"\(self)\"" }
}

/// An enum with text raw values is a flag value once it says so: `extension ClassWeighting: FlagValue {}`.
extension FlagValue where Self: RawRepresentable, RawValue == String {
    public init?(flag text: String) { self.init(rawValue: text) }
    public var flagText: String { rawValue }
}

extension FlagValue where Self: RawRepresentable & CaseIterable, RawValue == String {
    public static var choices: [String]? { allCases.map(\.rawValue) }
}

/// A comma-separated list, such as `--lora-r 1,2,4,8,16`; `none` is the empty list.
extension Array: FlagValue where Element: FlagValue {
    public init?(flag text: String) {
        if text == "none" { self = []; return }
        var values: [Element] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = Element(flag: part.trimmingCharacters(in: .whitespaces)) else { return nil }
            values.append(value)
        }
        self = values
    }

    /// `1,4,16`; a list of names shows them bare (`c_attn,c_proj`), as the flag reads them.
    public var flagText: String { isEmpty ? "none" : map { $0 as? String ?? $0.flagText }.joined(separator: ",") }
}
