/// Turning a pretrained model into a LoRA model, as PEFT's `get_peft_model(model, config)`:
/// freeze every weight, put a `LoRALinear` in place of each target layer, and let only the
/// adapters and the `modulesToSave` learn.

// ANCHOR: getPeftModel
/// Adapts `model` in place and returns it. Target layers are found by name suffix; each must be
/// a `LinearLayer` its parent declares `@Replaceable`. Stops with a message if a target or a module to save
/// matches nothing.
@discardableResult
public func getPeftModel<M: Module>(_ model: M, _ config: LoRAConfig, generator: Generator) -> M {
    config.validate()
    model.freeze()                                        // requires_grad = False everywhere
    let modules = model.namedModules()
    var adapters: [(String, Module)] = []
    for (path, module) in modules where LoRAConfig.matches(path, config.targetModules) {
        if isInsideModuleToSave(path, config.modulesToSave) { continue }   // trained in full instead
        if isInsideAdapter(path, modules) { continue }
        guard let base = module as? any LinearLayer, !(module is LoRALinear) else {
            fail("getPeftModel: target \"\(path)\" is a \(type(of: module)); LoRA adapts linear layers (name layers such as \"query\" or \"dense\")")
        }
        adapters.append((path, LoRALinear(base: base, r: config.r, loraAlpha: config.loraAlpha,
                                          loraDropout: config.loraDropout, useRslora: config.useRslora,
                                          generator: generator)))
    }
    model.update(modules: adapters)                       // each adapter where its Linear was
    if adapters.isEmpty {
        fail("getPeftModel: targetModules \(config.targetModules) matched no module of \(type(of: model)) (names are the last parts of paths such as \(modules.last?.0 ?? ""))")
    }
    for name in config.modulesToSave {
        let matched = modules.filter { LoRAConfig.matches($0.0, [name]) }
        if matched.isEmpty { fail("getPeftModel: modulesToSave \"\(name)\" matched no module of \(type(of: model))") }
        for (_, m) in matched { m.unfreeze() }            // the new task head learns in full
    }
    return model
}
// ANCHOR_END: getPeftModel

/// True if the path or one of its ancestors is a module to save ("classifier.dense").
private func isInsideModuleToSave(_ path: String, _ names: [String]) -> Bool {
    let parts = path.split(separator: ".").map(String.init)
    return (1...max(parts.count, 1)).contains { n in LoRAConfig.matches(parts.prefix(n).joined(separator: "."), names) }
}

/// True for the parts of an adapter already in place (`...query.base_layer`), which must not
/// be adapted again.
private func isInsideAdapter(_ path: String, _ modules: [(String, Module)]) -> Bool {
    modules.contains { p, m in m is LoRALinear && path.hasPrefix(p + ".") }
}

extension Module {
    /// Every LoRA layer with its path.
    public func loraLayers() -> [(String, LoRALinear)] {
        namedModules().compactMap { p, m in (m as? LoRALinear).map { (p, $0) } }
    }

    /// Folds every adapter into its base weight (PEFT `merge_adapter`); outputs stay the same.
    public func mergeAdapter() { for (_, l) in loraLayers() { l.merge() } }

    /// Takes every adapter back out of its base weight (PEFT `unmerge_adapter`).
    public func unmergeAdapter() { for (_, l) in loraLayers() { l.unmerge() } }

    /// Merges and then puts each base layer back where its adapter was (PEFT
    /// `merge_and_unload`): a plain model again, with the original parameter names.
    public func mergeAndUnload() {
        let adapters = loraLayers()
        for (_, l) in adapters { l.merge() }
        update(modules: adapters.map { path, l in (path, l.base_layer) })
    }

    /// PEFT's `get_nb_trainable_parameters`: (trainable, all) parameter elements.
    public func trainableParameterCounts() -> (trainable: Int, all: Int) {
        (parameterCount(trainableOnly: true), parameterCount())
    }

    /// The line PEFT's `print_trainable_parameters()` prints:
    /// `trainable params: 8,194 || all params: 118,850 || trainable%: 6.8945`.
    public func trainableParametersSummary() -> String {
        let (trainable, all) = trainableParameterCounts()
        return trainableParametersLine(trainable: trainable, all: all)
    }

    public func printTrainableParameters() { print(trainableParametersSummary()) }
}

/// PEFT's `print_trainable_parameters()` line for counts recorded earlier (a lesson keeps them
/// after the model is gone).
public func trainableParametersLine(trainable: Int, all: Int) -> String {
    let share = all == 0 ? 0 : 100 * Double(trainable) / Double(all)
    return "trainable params: \(grouped(trainable)) || all params: \(grouped(all)) || trainable%: \(fixed4(share))"
}

/// Four decimals without Foundation (Python's `{:.4f}`).
private func fixed4(_ x: Double) -> String {
    let scaled = Int((x * 10_000).rounded())
    let whole = scaled / 10_000, frac = scaled % 10_000
    let fracText = String(frac)
    return "\(whole)." + String(repeating: "0", count: 4 - fracText.count) + fracText
}
