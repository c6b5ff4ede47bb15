/// Loading a model in 4 bits, as transformers' `replace_with_bnb_linear` does for
/// `BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True)`:
/// every `Linear` (or GPT-2 `Conv1D`) its parent declares `@Replaceable` becomes a frozen `Linear4bit`, except those named in
/// `modulesToNotConvert` (transformers keeps the output head in full precision the same way,
/// `llm_int8_skip_modules`). Embeddings and LayerNorms stay Float32, as in QLoRA.
///
/// Returns the paths converted. Layers whose parent cannot replace them (a tied LM-head decoder)
/// are left as they are.
@discardableResult
public func replaceWithLinear4bit(_ model: Module, quantType: QuantType = .nf4, blockSize: Int = 64,
                                  compressStatistics: Bool = true, modulesToNotConvert: [String] = []) -> [String] {
    var converted: [String] = []
    for (path, module) in model.namedModules() {
        guard !LoRAConfig.matches(path, modulesToNotConvert) else { continue }
        // transformers' `_replace_with_bnb_linear` converts `nn.Linear` and GPT-2's `Conv1D`
        // alike, reading a Conv1D's weight [in, out] the other way round.
        guard let linear = (module as? Linear) ?? (module as? Conv1D)?.asLinear() else { continue }
        let parts = path.split(separator: ".").map(String.init)
        let parentPath = parts.dropLast().joined(separator: ".")
        guard let parent = model.namedModules().first(where: { $0.0 == parentPath })?.1 else { continue }
        let quantized = Linear4bit(linear, quantType: quantType, blockSize: blockSize, compressStatistics: compressStatistics)
        if parent.replaceChild(parts.last!, with: quantized) { converted.append(path) }
    }
    model.freeze()   // the base model is frozen in QLoRA: only adapters (added afterwards) learn
    return converted
}
