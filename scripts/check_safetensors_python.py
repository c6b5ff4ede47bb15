#!/usr/bin/env python3
"""Loads the safetensors files MiniTorch wrote with Hugging Face's reference `safetensors` package.

Usage: python3 scripts/check_safetensors_python.py <folder>
where <folder> holds expected.json and the files it names (written by the Swift test
SafetensorsInteropTests with MINITORCH_SAMPLE_DIR=<folder>; `make safetensors-python` does both).
Every tensor must load with the reference reader with its shape, dtype float32 and exact bits,
and sample.safetensors must carry its metadata. Exits 1 with one line per problem otherwise.
"""
import json
import os
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file


def main(folder):
    with open(os.path.join(folder, "expected.json")) as f:
        expected = json.load(f)
    problems, count = [], 0
    for file, entries in sorted(expected.items()):
        path = os.path.join(folder, file)
        loaded = load_file(path)
        if set(loaded) != set(entries):
            problems.append(f"{file}: names {sorted(loaded)} != {sorted(entries)}")
            continue
        for name, e in entries.items():
            t = loaded[name]
            bits = np.ascontiguousarray(t).view(np.uint32).reshape(-1).tolist()
            if t.dtype != np.float32 or list(t.shape) != e["shape"] or bits != e["bits"]:
                problems.append(f"{file}: {name}: {t.dtype} {list(t.shape)} differs from float32 {e['shape']} or its values")
            count += 1
    with safe_open(os.path.join(folder, "sample.safetensors"), framework="numpy") as f:
        metadata = f.metadata()
    if metadata != {"format": "pt", "note": "MiniTorch"}:
        problems.append(f"sample.safetensors: metadata {metadata}")
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    if problems:
        return 1
    import safetensors
    print(f"safetensors {safetensors.__version__} loaded {count} tensors from {len(expected)} MiniTorch files, bit for bit")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: check_safetensors_python.py <folder written by SafetensorsInteropTests>", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
