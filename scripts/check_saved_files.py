#!/usr/bin/env python3
"""Opens every file the lessons saved with Hugging Face's light libraries (no PyTorch).

Usage: python3 scripts/check_saved_files.py <book/build>
- every *.safetensors loads with the reference `safetensors` reader (float32 tensors, a metadata
  header with "format": "pt" as transformers and PEFT write it);
- every tokenizer.json loads with the `tokenizers` library;
- every config.json / adapter_config.json is a JSON object with model_type / peft_type.
Prints a summary line, or one line per problem and exits 1.
"""
import json
import sys
from pathlib import Path

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file
from tokenizers import Tokenizer


def main(root):
    root = Path(root)
    problems, counts = [], {"safetensors": 0, "tokenizer.json": 0, "config": 0}
    for path in sorted(root.rglob("*.safetensors")):
        if "checkpoint-" in str(path):
            continue   # checkpoints are MiniTorch's own resume files, checked by their tests
        try:
            tensors = load_file(str(path))
            with safe_open(str(path), framework="numpy") as f:
                metadata = f.metadata() or {}
        except Exception as error:   # any failure to read is the finding
            problems.append(f"{path}: {error}")
            continue
        if any(t.dtype != np.float32 for t in tensors.values()):
            problems.append(f"{path}: not every tensor is float32")
        if path.name in ("model.safetensors", "adapter_model.safetensors") and metadata.get("format") != "pt":
            problems.append(f"{path}: metadata {metadata} lacks format pt")
        counts["safetensors"] += 1
    for path in sorted(root.rglob("tokenizer.json")):
        try:
            Tokenizer.from_file(str(path))
            counts["tokenizer.json"] += 1
        except Exception as error:
            problems.append(f"{path}: {error}")
    for name, key in (("config.json", "model_type"), ("adapter_config.json", "peft_type")):
        for path in sorted(root.rglob(name)):
            data = json.loads(path.read_text())
            if not isinstance(data, dict) or key not in data:
                problems.append(f"{path}: no {key}")
            counts["config"] += 1
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    if problems:
        sys.exit(1)
    if counts["safetensors"] == 0:
        sys.exit(f"error: no safetensors file under {root}: run make book first")
    print("saved files: " + ", ".join(f"{n} {k}" for k, n in counts.items()) + " open in Hugging Face's libraries")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
