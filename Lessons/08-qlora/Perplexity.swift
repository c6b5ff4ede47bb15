import Foundation
import MiniTorch
import MaskedLanguageModeling
import LoRALesson

/// The pretrained model's masked-word perplexity with its encoder stored one way or another.
public struct QuantizedPerplexity: Sendable {
    public let name: String
    public let perplexity: Double
    /// Bytes the model's weights occupy (ledger-measured), embeddings and head included.
    public let modelBytes: Int
}

/// A copy of the pretrained MLM model, its encoder's linear layers in 4 bits if `quantType` is set.
/// Returns the model with the bytes its weights hold, measured by the memory ledger.
public func loadModel(_ base: PretrainedBase, quantType: QuantType?, doubleQuantization: Bool = true) -> (model: RobertaForMaskedLM, bytes: Int) {
    let (model, bytes) = allocatedBytes { () -> RobertaForMaskedLM in
        let model = RobertaForMaskedLM(config: base.model.config, generator: Generator(seed: 0))
        model.loadStateDict(base.model.stateDict())
        // ANCHOR: load-in-4bit
        if let quantType {   // BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True)
            replaceWithLinear4bit(model, quantType: quantType, blockSize: 64, compressStatistics: doubleQuantization)
        }
        // ANCHOR_END: load-in-4bit
        return model
    }
    model.eval()
    return (model, bytes)
}

/// Perplexity on lesson 06's masked validation sentences: Float32, then NF4, FP4 and Int4.
public func quantizedPerplexities(_ base: PretrainedBase) -> [QuantizedPerplexity] {
    let variants: [(String, QuantType?)] = [("float32", nil), ("nf4", .nf4), ("fp4", .fp4), ("int4", .int4)]
    return variants.map { name, type in
        let (model, bytes) = loadModel(base, quantType: type)
        return QuantizedPerplexity(name: name, perplexity: exp(base.validation.loss(of: model)), modelBytes: bytes)
    }
}
