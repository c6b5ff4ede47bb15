import Foundation
import Testing
@testable import MiniTorch

/// LoRA and QLoRA on GPT-2: its Conv1D projections and tied LM head are `@Replaceable`, so
/// `getPeftModel` and `replaceWithLinear4bit` reach them as they reach RoBERTa's Linears.
@Suite("GPT-2 adapters")
struct GPT2AdapterTests {
    static func model(seed: Int = 3) -> GPT2LMHeadModel {
        GPT2LMHeadModel(config: GPT2Tests.small(), generator: Generator(seed: seed))
    }

    static func logits(_ m: GPT2LMHeadModel) -> [Float] {
        noGrad { m(inputIds: GPT2Tests.ids(20), shape: [2, 10]).scalars }
    }

    @Test func loraWrapsConv1DAndTheTiedHead() {
        let m = Self.model()
        let before = Self.logits(m)
        getPeftModel(m, LoRAConfig(r: 4, loraAlpha: 8, targetModules: ["c_attn", "c_proj", "c_fc", "lm_head"]), generator: Generator(seed: 1))
        let names = m.loraLayers().map(\.0)
        #expect(names.count == 2 * 4 + 1)
        #expect(names.contains("transformer.h.0.attn.c_attn") && names.contains("transformer.h.1.mlp.c_proj") && names.contains("lm_head"))
        // PEFT's shapes for the fused c_attn: one adapter, A [r, H], B [3H, r].
        let qkv = m.loraLayers().first { $0.0 == "transformer.h.0.attn.c_attn" }!.1
        #expect(qkv.lora_A.weight.shape == [4, 16] && qkv.lora_B.weight.shape == [48, 4])
        // B = 0 at the start: the model is unchanged; only the adapters train; the head stays tied.
        #expect(Self.logits(m) == before)
        let head = (m.lm_head as! LoRALinear).base_layer as! Linear
        #expect(head.weight === m.transformer.wte.weight && !head.weight.requiresGrad)
        #expect(m.parameters().filter(\.requiresGrad).allSatisfy { p in m.loraLayers().contains { $0.1.lora_A.weight === p || $0.1.lora_B.weight === p } })
    }

    /// Merging into a Conv1D adds (B A)^T to its [in, out] weight (PEFT's fan_in_fan_out): the
    /// merged model computes what the adapted one does.
    @Test func mergeIntoConv1DIsTransposed() {
        let m = Self.model()
        getPeftModel(m, LoRAConfig(r: 2, loraAlpha: 4, targetModules: ["c_attn", "c_fc"]), generator: Generator(seed: 1))
        let g = Generator(seed: 9)
        for (_, l) in m.loraLayers() { l.lora_B.weight.copyFrom(.normal(l.lora_B.weight.shape, std: 0.1, generator: g)) }
        let adapted = Self.logits(m)
        m.mergeAndUnload()
        #expect(m.loraLayers().isEmpty && m.transformer.h[0].attn.c_attn is Conv1D)
        for (a, b) in zip(adapted, Self.logits(m)) { #expect(abs(a - b) <= 1e-4 * max(1, abs(a))) }
    }

    /// QLoRA's base: every Conv1D becomes a 4-bit layer holding its weight as [out, in], the tied
    /// head stays Float32; the outputs move only by the quantisation error.
    @Test func conv1DQuantisesTo4Bit() {
        let m = Self.model()
        let before = Self.logits(m)
        let converted = replaceWithLinear4bit(m, modulesToNotConvert: ["lm_head"])
        #expect(converted.count == 2 * 4 && !converted.contains("lm_head"))
        #expect(m.transformer.h[1].mlp.c_fc is Linear4bit && m.lm_head is Linear)
        let conv = Conv1D(nf: 6, nx: 4, generator: Generator(seed: 2))
        let x = Tensor.randn([3, 4], generator: Generator(seed: 4))
        let (a, b) = (conv(x).scalars, conv.asLinear()(x).scalars)
        for (u, v) in zip(a, b) { #expect(abs(u - v) <= 1e-5) }
        let after = Self.logits(m)
        let diff = zip(before, after).map { abs($0 - $1) }.max()!
        #expect(diff > 0 && diff < 0.5, "largest logit change \(diff)")
    }
}

/// Gradient checkpointing recomputes each block in the backward pass: the same gradients as
/// keeping the activations, with dropout on (its masks are replayed), for a full model and for
/// LoRA adapters on a frozen base.
@Suite("Gradient checkpointing")
struct GradientCheckpointingTests {
    static func gradients(checkpointing: Bool, lora: Bool) -> [(String, [Float])] {
        let config = GPT2Tests.small().withDropout(0.1)
        let m = GPT2LMHeadModel(config: config, generator: Generator(seed: 3))
        if lora {
            getPeftModel(m, LoRAConfig(r: 2, loraAlpha: 4, targetModules: ["c_attn", "c_fc"]), generator: Generator(seed: 1))
            let g = Generator(seed: 9)
            for (_, l) in m.loraLayers() { l.lora_B.weight.copyFrom(.normal(l.lora_B.weight.shape, std: 0.1, generator: g)) }
        }
        m.transformer.gradientCheckpointing = checkpointing
        m.train()
        let ids = GPT2Tests.ids(20)
        let logits = m(inputIds: ids, shape: [2, 10])                              // [2, 10, vocab]
        crossEntropy(logits.reshape([-1, 23]), Array(ids.dropFirst()) + [0]).backward()
        return m.namedParameters().filter { $0.1.requiresGrad }.map { ($0.0, $0.1.grad?.scalars ?? []) }
    }

    @Test(arguments: [false, true]) func sameGradientsAsWithout(lora: Bool) {
        let kept = Self.gradients(checkpointing: false, lora: lora)
        let recomputed = Self.gradients(checkpointing: true, lora: lora)
        #expect(kept.map(\.0) == recomputed.map(\.0) && !kept.isEmpty)
        for ((name, a), (_, b)) in zip(kept, recomputed) {
            #expect(a.count == b.count && !a.isEmpty, "\(name)")
            for (u, v) in zip(a, b) { #expect(abs(u - v) <= 1e-5 * max(1, abs(u)), "\(name)") }
        }
    }

    /// What it saves: the ledger's peak during forward + backward is lower with checkpointing.
    @Test func peakMemoryIsLower() {
        func peak(_ on: Bool) -> Int {
            let m = GPT2LMHeadModel(config: GPT2Tests.small(positions: 64), generator: Generator(seed: 3))
            m.transformer.gradientCheckpointing = on
            let ids = GPT2Tests.ids(8 * 64)
            return MemoryLedger.measure {
                crossEntropy(m(inputIds: ids, shape: [8, 64]).reshape([-1, 23]), ids).backward()
            }.peakBytes
        }
        #expect(peak(true) < peak(false), "\(peak(true)) vs \(peak(false))")
    }
}
