"""Interop check for lesson 13: the model folder MiniTorch saved opens in Hugging Face
`transformers` as GPT2LMHeadModel and greedy-decodes the same tokens.

    python scripts/check_gpt2_transformers.py book/build/13-gpt-pretraining

Reads <out>/model/ (config.json, model.safetensors, generation_config.json, tokenizer.json) and
<out>/greedy.json ({"prompt": [...], "tokens": [...]}: MiniTorch's greedy continuation). Prints
one line and exits 0 when transformers generates the same tokens, 1 otherwise.
"""
import json
import sys
from pathlib import Path

import torch
from transformers import GPT2LMHeadModel


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "book/build/13-gpt-pretraining")
    expected = json.loads((out / "greedy.json").read_text())
    model = GPT2LMHeadModel.from_pretrained(out / "model").eval()
    prompt = torch.tensor([expected["prompt"]])
    with torch.no_grad():
        generated = model.generate(prompt, max_new_tokens=len(expected["tokens"]), do_sample=False,
                                   pad_token_id=0)[0, prompt.shape[1]:].tolist()
        # The logits themselves, for the record: the first step's largest difference.
        logits = model(prompt).logits[0, -1]
    same = generated == expected["tokens"]
    first_diff = next((i for i, (a, b) in enumerate(zip(generated, expected["tokens"])) if a != b), None)
    print(f"transformers GPT2LMHeadModel from {out / 'model'}: {len(generated)} greedy tokens, "
          f"{'the same as MiniTorch' if same else f'first difference at new token {first_diff}'}; "
          f"tied head: {model.lm_head.weight.data_ptr() == model.transformer.wte.weight.data_ptr()}; "
          f"logit range at the prompt {logits.min().item():.3f} .. {logits.max().item():.3f}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
