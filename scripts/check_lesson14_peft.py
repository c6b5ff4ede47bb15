"""Lesson 14's LoRA adapter opened by PEFT on lesson 13's model: the logits must be MiniTorch's.

Usage: python scripts/check_lesson14_peft.py LESSON13_MODEL_DIR LESSON14_ADAPTER_DIR

Loads lesson 13's folder with GPT2LMHeadModel.from_pretrained, grows its vocabulary by the two chat
tokens the lesson adds (rows at the mean of the old rows, as the lesson's resizeTokenEmbeddings and
torchtune's resize_token_embeddings do; the head is tied, so it grows with them), puts the adapter
on with PeftModel.from_pretrained, and compares the logits at the last position of the saved prompt
with reference_logits.json. Prints one line; exits 1 if they differ by more than 1e-4.
"""
import json
import sys

import torch
from peft import PeftModel
from transformers import GPT2LMHeadModel

base_dir, adapter_dir = sys.argv[1], sys.argv[2]
reference = json.load(open(f"{adapter_dir}/reference_logits.json"))
model = GPT2LMHeadModel.from_pretrained(base_dir, torch_dtype=torch.float32)
old = model.get_input_embeddings().weight.shape[0]
new = old + len(reference["new_tokens"])
model.resize_token_embeddings(new, mean_resizing=False)
with torch.no_grad():
    rows = model.get_input_embeddings().weight
    rows[old:] = rows[:old].mean(dim=0, keepdim=True)
model = PeftModel.from_pretrained(model, adapter_dir)
model.eval()
with torch.no_grad():
    logits = model(torch.tensor([reference["input_ids"]])).logits[0, -1]
    with model.disable_adapter():
        plain = model(torch.tensor([reference["input_ids"]])).logits[0, -1]
mine = torch.tensor(reference["last_logits"])
diff = (logits - mine).abs().max().item()
effect = (plain - mine).abs().max().item()   # the adapter must matter, or the check proves nothing
ok = diff <= 1e-4 and effect > 100 * diff
print(("ok    " if ok else "FAIL  ") + f"lesson 14 adapter with PeftModel.from_pretrained on {base_dir}: "
      f"largest logit difference {diff:.2e} over {new} tokens (tolerance 1e-4); "
      f"without the adapter the logits move by up to {effect:.2f}")
sys.exit(0 if ok else 1)
