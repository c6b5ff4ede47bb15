#!/usr/bin/env python3
"""Checks a tokenizer MiniTorch saved against Hugging Face's `tokenizers` library.

Usage: .venv/bin/python scripts/check_tokenizers_python.py <folder>

The folder (written by the Swift test TokenizersInteropTests) holds:
  tokenizer.json   MiniTorch's byte-level BPE tokenizer
  cases.json       [{"text": ..., "ids": [...], "pieces": [...]}]: MiniTorch's ids and pre-tokenisation
  training.json    {"vocab_size": n, "special_tokens": [...], "documents": ["file", ...]}: what MiniTorch
                   trained on (files relative to the folder)

It checks that `tokenizers` loads tokenizer.json, encodes every text to exactly MiniTorch's ids,
decodes MiniTorch's ids back to the text, splits each text into the same pre-tokenisation pieces,
and that its own BpeTrainer, on the same documents with the same settings, learns the same
vocabulary and merges. Prints one `ok` line per check; on a mismatch prints `FAIL: ...` and exits 1.
"""
import json
import os
import sys

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def main():
    if len(sys.argv) != 2:
        print("usage: check_tokenizers_python.py <folder written by TokenizersInteropTests>", file=sys.stderr)
        return 2
    folder = sys.argv[1]
    failures = []
    tok = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
    with open(os.path.join(folder, "cases.json"), encoding="utf-8") as f:
        cases = json.load(f)
    for n, case in enumerate(cases):
        text, ids = case["text"], case["ids"]
        label = f"case {n} ({len(text)} characters)"
        got = tok.encode(text).ids
        if got != ids:
            i = first_difference(got, ids)
            failures.append(f"{label}: encode differs at token {i}: tokenizers {got[i:i+5]}, MiniTorch {ids[i:i+5]}")
        else:
            print(f"ok encode {label}: {len(ids)} ids")
        decoded = tok.decode(ids, skip_special_tokens=False)
        if decoded != text:
            i = first_difference(decoded, text)
            failures.append(f"{label}: decode differs at character {i}: {decoded[i:i+20]!r} vs {text[i:i+20]!r}")
        else:
            print(f"ok decode {label}")
        if "pieces" in case:
            pieces = [p for p, _ in tok.pre_tokenizer.pre_tokenize_str(text)]
            if pieces != case["pieces"]:
                i = first_difference(pieces, case["pieces"])
                failures.append(f"{label}: pre-tokenisation differs at piece {i}: {pieces[i:i+3]} vs {case['pieces'][i:i+3]}")
            else:
                print(f"ok pieces {label}: {len(pieces)}")

    with open(os.path.join(folder, "training.json"), encoding="utf-8") as f:
        training = json.load(f)
    documents = []
    for name in training["documents"]:
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            documents.append(f.read())
    ref = Tokenizer(models.BPE())
    ref.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    ref.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=training["vocab_size"],
        special_tokens=training["special_tokens"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    ref.train_from_iterator(documents, trainer=trainer)
    ours = json.loads(tok.to_str())["model"]
    theirs = json.loads(ref.to_str())["model"]
    if ours["vocab"] != theirs["vocab"]:
        diff = sorted(set(ours["vocab"].items()) ^ set(theirs["vocab"].items()), key=lambda kv: kv[1])[:4]
        failures.append(f"trained vocabularies differ ({len(ours['vocab'])} vs {len(theirs['vocab'])} tokens), first differences {diff}")
    else:
        print(f"ok trainer vocab: {len(theirs['vocab'])} tokens")
    if ours["merges"] != theirs["merges"]:
        i = first_difference(ours["merges"], theirs["merges"])
        failures.append(f"trained merges differ at rank {i}: MiniTorch {ours['merges'][i:i+2]}, tokenizers {theirs['merges'][i:i+2]}")
    else:
        print(f"ok trainer merges: {len(theirs['merges'])}")

    for failure in failures:
        print("FAIL: " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
