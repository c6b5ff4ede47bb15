import Foundation
import MiniTorch

/// The guide's claim, "QLoRA enables the finetuning of a 65B parameter model on a single 48GB
/// GPU", as arithmetic. LLaMA-65B (Touvron et al. 2023, table 2): 80 layers, hidden size 8192;
/// its feed-forward width is 22016. QLoRA puts r = 64 adapters on every linear layer.
public struct SixtyFiveB: Sendable {
    public let parameters: Double = 65e9
    public let layers = 80
    public let hiddenSize = 8192
    public let intermediateSize = 22016
    public let r = 64
    public let gpuGigabytes: Double = 48

    public init() {}

    /// q, k, v, o (hidden -> hidden), gate and up (hidden -> ffn), down (ffn -> hidden).
    public var loraParameters: Double {
        let (d, f) = (hiddenSize, intermediateSize)
        return FinetuneMemory.loraParameters(r: r, layers: layers, matrices: [(d, d), (d, d), (d, d), (d, d), (d, f), (d, f), (f, d)])
    }

    // ANCHOR: budgets
    /// Full 16-bit fine-tune, LoRA on a 16-bit base, and QLoRA (NF4 + double quantisation).
    public var budgets: [(name: String, memory: FinetuneMemory)] {
        var lora16 = FinetuneMemory(parameters: parameters, weights: .bfloat16, trainableParameters: loraParameters, adapters: true)
        lora16.adapterBytes = 2
        return [
            ("full fine-tune, 16-bit", .fullFinetune16bit(parameters: parameters)),
            ("LoRA, 16-bit base", lora16),
            ("QLoRA, NF4 + double quantization", .qlora(parameters: parameters, loraParameters: loraParameters)),
        ]
    }
    // ANCHOR_END: budgets

    /// A full fine-tune in standard mixed precision: 16-bit weights and gradients, AdamW's two
    /// Float32 states and a Float32 master copy of every weight, 2 + 2 + 8 + 4 = 16 bytes a
    /// parameter (ZeRO's count). The 12 bytes above leave the master copy out, as the QLoRA paper does.
    public var fullFinetuneMasterWeightsBytes: Double { parameters * (2 + 2 + 8 + 4) }

    /// The printed arithmetic: one block per setup, each line with its formula and gigabytes.
    public func report() -> String {
        var lines: [String] = []
        lines.append("LLaMA-65B: \(Int(parameters / 1e9))B parameters; LoRA r = \(r) on the 7 linear layers of \(layers) blocks = \(String(format: "%.1f", loraParameters / 1e6))M adapter parameters")
        lines.append("(1 GB = 10^9 bytes; activations not included)")
        for (name, memory) in budgets {
            lines.append("")
            lines.append(name)
            for line in memory.lines {
                lines.append("  " + line.name.padding(toLength: 24, withPad: " ", startingAt: 0)
                             + line.arithmetic.padding(toLength: 58, withPad: " ", startingAt: 0)
                             + String(format: "%8.2f GB", line.bytes / 1e9))
            }
            let verdict = memory.fits(gigabytes: gpuGigabytes)
                ? String(format: "fits a %.0f GB GPU with %.1f GB left for activations", gpuGigabytes, gpuGigabytes - memory.totalBytes / 1e9)
                : String(format: "needs %.1f GPUs of %.0f GB", memory.totalBytes / 1e9 / gpuGigabytes, gpuGigabytes)
            lines.append("  " + "total".padding(toLength: 82, withPad: " ", startingAt: 0) + String(format: "%8.2f GB", memory.totalBytes / 1e9) + "  -> " + verdict)
        }
        lines.append("")
        lines.append(String(format: "full fine-tune with Float32 master weights (mixed precision): %.0fB x (2 + 2 + 8 + 4) B = %.2f GB  -> needs %.1f GPUs of %.0f GB",
                            parameters / 1e9, fullFinetuneMasterWeightsBytes / 1e9, fullFinetuneMasterWeightsBytes / 1e9 / gpuGigabytes, gpuGigabytes))
        return lines.joined(separator: "\n")
    }
}
