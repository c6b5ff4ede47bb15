import Foundation
import MiniTorch

/// Saves the LoRA adapter in PEFT's layout (`adapter_config.json`, `adapter_model.safetensors`,
/// keys `base_model.model.transformer.h.0.attn.c_attn.lora_A.weight`, ...) with the chat
/// tokenizer beside it, and `reference_logits.json`: the prompt of one held-out instruction and
/// MiniTorch's logits at its last position, for `scripts/interop_lesson14.py` to compare with
/// `PeftModel.from_pretrained` on lesson 13's folder (its embedding grown by the same two rows).
///
/// `fan_in_fan_out` is written false: PEFT sets it true by itself for each Conv1D target (with a
/// warning) and keeps it false for the Linear `lm_head`, which is how the weights are laid out.
public func saveAdapter(_ run: FineTuneRun, template: ChatTemplate, base: URL, prompt instruction: String, to folder: URL) throws {
    try run.model.saveAdapter(to: folder, config: run.settings.loraConfig, taskType: "CAUSAL_LM",
                              baseModelNameOrPath: base.standardizedFileURL.path)
    try template.tokenizer.save(to: folder.appendingPathComponent("tokenizer.json"))
    let prompt = template.prompt(instruction)
    let logits = noGrad { run.model.lastLogits(prompt) }
    let json = "{\"input_ids\": \(prompt), \"new_tokens\": [\"\(ChatTemplate.imStart)\", \"\(ChatTemplate.imEnd)\"], \"last_logits\": \(logits)}\n"
    try AtomicFile.write(json, to: folder.appendingPathComponent("reference_logits.json"))
}
