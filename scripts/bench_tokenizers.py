#!/usr/bin/env python3
"""Times Hugging Face `tokenizers` on one thread, for `make bench`'s side-by-side with MiniTorch.

Usage: .venv/bin/python scripts/bench_tokenizers.py <folder> <vocab_size> <repeats>

<folder> holds the training documents as *.txt (one work each). Trains a byte-level BPE (GPT-2
pre-tokenizer, all 256 bytes, special tokens <|endoftext|> <|im_start|> <|im_end|>) at
<vocab_size>, then encodes every document one call at a time. Prints one JSON line: the median
training seconds, encoding MB/s (10^6 bytes) and bytes per token. One thread: parallelism off.
"""
import glob
import json
import os
import sys
import time

os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ["RAYON_NUM_THREADS"] = "1"
os.environ["RAYON_RS_NUM_CPUS"] = "1"

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers  # noqa: E402


def train(documents, vocab_size):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(documents, trainer=trainer)
    return tok


def main():
    folder, vocab_size, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    documents = []
    for path in sorted(glob.glob(os.path.join(folder, "*.txt"))):
        with open(path, encoding="utf-8") as f:
            documents.append(f.read())
    n_bytes = sum(len(d.encode("utf-8")) for d in documents)
    train_times, encode_times = [], []
    tokens = 0
    for _ in range(repeats):
        start = time.perf_counter()
        tok = train(documents, vocab_size)
        train_times.append(time.perf_counter() - start)
        fresh = Tokenizer.from_str(tok.to_str())   # a cold cache, as MiniTorch's run has
        start = time.perf_counter()
        tokens = sum(len(fresh.encode(d).ids) for d in documents)
        encode_times.append(time.perf_counter() - start)
    train_s = sorted(train_times)[len(train_times) // 2]
    encode_s = sorted(encode_times)[len(encode_times) // 2]
    print(json.dumps({"train_s": train_s, "encode_mb_s": n_bytes / encode_s / 1e6, "bytes_per_token": n_bytes / tokens,
                      "vocab": fresh.get_vocab_size(), "bytes": n_bytes}))


if __name__ == "__main__":
    main()
