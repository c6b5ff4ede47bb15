/// The settings of a LoRA fine-tune, as PEFT's `LoraConfig` (field names in Swift casing).
///
/// - `r`: the rank of each update B A. More rank, more capacity and more parameters.
/// - `loraAlpha`: the update is scaled by loraAlpha / r. Hu et al. hold alpha fixed as r changes,
///   so one learning rate serves every rank (PEFT's defaults: r = 8, alpha = 8); a common habit,
///   used in the lessons, is alpha = 2r, a factor of 2 at every rank.
/// - `useRslora`: rsLoRA's loraAlpha / sqrt(r) instead (PEFT's `use_rslora`).
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
    public var useRslora: Bool

    public init(r: Int = 8, loraAlpha: Float = 8, loraDropout: Float = 0,
                targetModules: [String] = ["query", "value"], modulesToSave: [String] = [], useRslora: Bool = false) {
        self.r = r
        self.loraAlpha = loraAlpha
        self.loraDropout = loraDropout
        self.targetModules = targetModules
        self.modulesToSave = modulesToSave
        self.useRslora = useRslora
    }

    /// The factor on every update: alpha / r, or alpha / sqrt(r) with rsLoRA.
    public var scaling: Float { useRslora ? rsloraScaling(loraAlpha: loraAlpha, r: r) : loraScaling(loraAlpha: loraAlpha, r: r) }

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
/// and a learning rate tuned at one rank still fits another (Hu et al.). The bug it guards
/// against is alpha unscaled, or any factor that ignores r while alpha is held fixed: then
/// doubling the rank doubles the update. (alpha = 2r, which keeps the factor at 2, is a choice
/// made on purpose, with alpha moving along with r.)
public func loraScaling(loraAlpha: Float, r: Int) -> Float {
    // BEGIN SOLUTION ex07_4
    loraAlpha / Float(r)
    // END SOLUTION
}

/// rsLoRA's factor (Kalajdzievski 2023; PEFT `use_rslora=True`): lora_alpha / sqrt(r).
public func rsloraScaling(loraAlpha: Float, r: Int) -> Float {
    loraAlpha / Float(r).squareRoot()
}
