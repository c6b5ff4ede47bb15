"""Opens what the lessons saved with Hugging Face's own libraries and compares the numbers.

Usage: python scripts/interop.py BOOK_BUILD OUT_DIR

- lesson 06's model/ with AutoModelForMaskedLM, AutoTokenizer and pipeline("fill-mask"): the
  top-5 words and their probabilities (to 3 decimals) must be the lesson's (fill-mask.json);
- lesson 07's adapter/ with PeftModel.from_pretrained on lesson 06's model/: its logits must be
  the lesson's (adapter-logits.json) to 1e-5;
- lesson 08's adapter/ on its base-dequantized/ the same way;
- then it writes, with random weights, two small RoBERTa folders with transformers'
  save_pretrained (a masked LM and a classifier) and their logits on fixed inputs into OUT_DIR,
  for MiniTorch's side of the check (HFFolderInteropTests).

Prints one line per check; exits 1 if any fails.
"""
import json
import sys
from pathlib import Path

import torch
from peft import PeftModel
from transformers import (AutoModelForMaskedLM, AutoModelForSequenceClassification, AutoTokenizer,
                          RobertaConfig, RobertaForMaskedLM, RobertaForSequenceClassification, RobertaModel, pipeline)

TOLERANCE = 1e-5
failures = []


def check(ok, line):
    print(("ok    " if ok else "FAIL  ") + line)
    if not ok:
        failures.append(line)


def fill_mask(book):
    lesson = book / "06-masked-language-modeling"
    folder = str(lesson / "model")
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForMaskedLM.from_pretrained(folder)
    fill = pipeline("fill-mask", model=model, tokenizer=tokenizer, top_k=5)
    expected = json.loads((lesson / "fill-mask.json").read_text())["fill_mask"]
    for row in expected:
        got = fill(row["prompt"])
        tokens = [g["token_str"].strip() for g in got]
        probs = [round(g["score"], 3) for g in got]
        want = [round(p, 3) for p in row["probabilities"]]
        check(tokens == row["tokens"] and probs == want,
              f"06 fill-mask {row['prompt']!r}: transformers {list(zip(tokens, probs))}, MiniTorch {list(zip(row['tokens'], want))}")


def adapter_logits(lesson, base_folder):
    expected = json.loads((lesson / "adapter-logits.json").read_text())
    labels = len(expected["logits"][0])
    base = AutoModelForSequenceClassification.from_pretrained(str(base_folder), num_labels=labels)
    model = PeftModel.from_pretrained(base, str(lesson / "adapter"))
    model.eval()
    with torch.no_grad():
        out = model(input_ids=torch.tensor(expected["input_ids"]),
                    attention_mask=torch.tensor(expected["attention_mask"])).logits
    diff = (out - torch.tensor(expected["logits"])).abs().max().item()
    check(diff < TOLERANCE, f"{lesson.name} PeftModel.from_pretrained(adapter/) on {base_folder.name}/: "
          f"max |logits - MiniTorch's| = {diff:.2e} over {out.shape[0]} examples (< {TOLERANCE:g})")


def random_folders(out):
    """transformers' own folders, random weights, for MiniTorch to load."""
    config = RobertaConfig(vocab_size=60, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                           intermediate_size=64, max_position_embeddings=40, type_vocab_size=1,
                           layer_norm_eps=1e-5, pad_token_id=1, bos_token_id=0, eos_token_id=2, num_labels=3)
    torch.manual_seed(0)
    ids = torch.randint(3, 60, (2, 9))
    ids[:, 0], ids[:, -1] = 0, 2
    ids[1, -3:] = torch.tensor([2, 1, 1])   # a padded row
    mask = (ids != 1).long()
    for name, cls in [("hf-roberta-mlm", RobertaForMaskedLM), ("hf-roberta-classifier", RobertaForSequenceClassification),
                      ("hf-roberta-model", RobertaModel)]:
        model = cls(config)   # RobertaModel with its pooler, as transformers builds it by default
        model.eval()
        folder = out / name
        model.save_pretrained(str(folder))
        with torch.no_grad():
            output = model(input_ids=ids, attention_mask=mask)
        logits = output.last_hidden_state if cls is RobertaModel else output.logits
        (out / f"{name}-logits.json").write_text(json.dumps({
            "input_ids": ids.tolist(), "attention_mask": mask.tolist(),
            "shape": list(logits.shape), "logits": logits.flatten().tolist()}))
        print(f"wrote {folder} (transformers' save_pretrained, random weights) and its logits")


def minitorch_folders(out):
    """A bare encoder saved by MiniTorch (PretrainedFolderTests, after it loaded hf-roberta-model),
    opened with RobertaModel.from_pretrained: its pooler is new (MiniTorch has none), its
    last_hidden_state must be MiniTorch's."""
    folder = out / "minitorch-roberta-model"
    expected = json.loads((out / "minitorch-roberta-model-outputs.json").read_text())
    model = RobertaModel.from_pretrained(str(folder))
    model.eval()
    with torch.no_grad():
        hidden = model(input_ids=torch.tensor(expected["input_ids"]),
                       attention_mask=torch.tensor(expected["attention_mask"])).last_hidden_state
    diff = (hidden.flatten() - torch.tensor(expected["last_hidden_state"])).abs().max().item()
    check(diff < TOLERANCE, f"RobertaModel.from_pretrained({folder.name}/) written by MiniTorch: "
          f"max |last_hidden_state - MiniTorch's| = {diff:.2e} (< {TOLERANCE:g})")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--minitorch-folders":
        minitorch_folders(Path(sys.argv[2]))
        if failures:
            sys.exit(f"interop: {len(failures)} check(s) failed")
        return
    if len(sys.argv) != 3:
        sys.exit("usage: interop.py BOOK_BUILD OUT_DIR | interop.py --minitorch-folders OUT_DIR")
    book, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    fill_mask(book)
    adapter_logits(book / "07-lora", book / "06-masked-language-modeling" / "model")
    adapter_logits(book / "08-qlora", book / "08-qlora" / "base-dequantized")
    random_folders(out)
    if failures:
        sys.exit(f"interop: {len(failures)} check(s) failed")


if __name__ == "__main__":
    main()
