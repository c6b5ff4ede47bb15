/// The settings of a LoRA fine-tune, as PEFT's `LoraConfig` (field names in Swift casing).
///
/// - `r`: the rank of each update B A. More rank, more capacity and more parameters.
/// - `loraAlpha`: the update is scaled by loraAlpha / r (PEFT's default alpha is 8; a common
///   habit, used in the lessons, is alpha = 2r).
/// - `loraDropout`: dropout on the adapter's input only; the frozen path sees x unchanged.
/// - `targetModules`: module names matched against the end of each module's dotted path, as
///   PEFT matches them: "query" adapts every `...attention.self.query`.
/// - `modulesToSave`: modules trained in full and saved with the adapter, typically the new,
///   randomly initialised task head ("classifier").
public struct LoRAConfig: Sendable, Equatable {
    public var r: Int
    public var loraAlpha: Float
    public var loraDropout: Float
    public var targetModules: [String]
    public var modulesToSave: [String]

    public init(r: Int = 8, loraAlpha: Float = 8, loraDropout: Float = 0,
                targetModules: [String] = ["query", "value"], modulesToSave: [String] = []) {
        self.r = r
        self.loraAlpha = loraAlpha
        self.loraDropout = loraDropout
        self.targetModules = targetModules
        self.modulesToSave = modulesToSave
    }

    /// alpha / r, the factor on every update.
    public var scaling: Float { loraScaling(loraAlpha: loraAlpha, r: r) }

    /// Stops with a message if a setting is out of range.
    public func validate() {
        if r < 1 { fail("LoRAConfig: r must be at least 1 (got \(r))") }
        if !(loraAlpha > 0) { fail("LoRAConfig: loraAlpha must be positive (got \(loraAlpha))") }
        if !(loraDropout >= 0 && loraDropout < 1) { fail("LoRAConfig: loraDropout must be in [0, 1) (got \(loraDropout))") }
        if targetModules.isEmpty { fail("LoRAConfig: targetModules is empty; name the layers to adapt, e.g. [\"query\", \"value\"]") }
    }

    /// PEFT's suffix rule (`check_target_module_exists`): the whole path, or its end after a dot.
    public static func matches(_ path: String, _ names: [String]) -> Bool {
        names.contains { path == $0 || path.hasSuffix("." + $0) }
    }
}

/// The factor on every LoRA update, PEFT's `scaling = lora_alpha / r`. Doubling r with alpha
/// fixed halves it, so the sum of twice as many rank-one directions keeps about the same size,
/// and a learning rate tuned at one rank still fits another.
public func loraScaling(loraAlpha: Float, r: Int) -> Float {
    // BEGIN SOLUTION ex07_4
    loraAlpha / Float(r)
    // END SOLUTION
}
