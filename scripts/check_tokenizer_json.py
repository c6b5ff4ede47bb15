#!/usr/bin/env python3
"""Encodes texts with the `tokenizers` library from a tokenizer.json MiniTorch wrote.

Usage: python3 scripts/check_tokenizer_json.py <tokenizer.json> <cases.json>
where cases.json is a list of {"text": ..., "ids": [...], "decoded": ...}: MiniTorch's ids for the
text (special tokens added) and its decoding of those ids. Each case must give the same ids and
the same decoded text here. Prints one line per problem and exits 1, or one summary line.
"""
import json
import sys

from tokenizers import Tokenizer


def main(tokenizer_path, cases_path):
    tokenizer = Tokenizer.from_file(tokenizer_path)
    with open(cases_path) as f:
        cases = json.load(f)
    problems = []
    for case in cases:
        ids = tokenizer.encode(case["text"], add_special_tokens=True).ids
        if ids != case["ids"]:
            problems.append(f"{case['text']!r}: tokenizers {ids}, MiniTorch {case['ids']}")
        decoded = tokenizer.decode(case["ids"], skip_special_tokens=False)
        if decoded != case["decoded"]:
            problems.append(f"decode {case['ids']}: tokenizers {decoded!r}, MiniTorch {case['decoded']!r}")
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"tokenizers: {len(cases)} texts encode to MiniTorch's ids and decode to its text")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
