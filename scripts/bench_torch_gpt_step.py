# PyTorch eager reference for make bench's GPT step (Sources/bench/DecoderBench.swift), to run in the same
# minute as `.build-bench/release/bench --profile gpt --steps 30` on a shared machine: GPT-2
# (transformers GPT2LMHeadModel, eager attention), n_layer x 128 (the lesson's 2 layers by default;
# the issue measured 4), 4 heads, context 64, batch 12, vocabulary
# 2,048, dropout 0, loss at every position, backward, clipping at 1.0, AdamW (0.9, 0.95), weight decay
# 0.1 on matrices. Median wall and main-thread CPU time of 30 steps after 3 warm-up steps.
#     python scripts/bench_torch_gpt_step.py [threads] [steps] [n_layer]   (an interop venv with torch, transformers)
import sys, time, statistics, torch
from transformers import GPT2Config, GPT2LMHeadModel
threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 30
n_layer = int(sys.argv[3]) if len(sys.argv) > 3 else 2
torch.set_num_threads(threads)
torch.manual_seed(13)
cfg = GPT2Config(vocab_size=2048, n_positions=64, n_embd=128, n_layer=n_layer, n_head=4,
                 resid_pdrop=0, embd_pdrop=0, attn_pdrop=0, bos_token_id=0, eos_token_id=0,
                 attn_implementation="eager")
model = GPT2LMHeadModel(cfg).train()
decay = [p for p in model.parameters() if p.dim() >= 2]
other = [p for p in model.parameters() if p.dim() < 2]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0}],
                        lr=1e-3, betas=(0.9, 0.95), foreach=False)
batches = [torch.randint(0, 2048, (12, 65)) for _ in range(4)]
wall, cpu = [], []
for i in range(3 + steps):
    b = batches[i % 4]
    x, y = b[:, :-1], b[:, 1:]
    t0, c0 = time.perf_counter(), time.thread_time()
    logits = model(input_ids=x).logits
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, 2048), y.reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    if i >= 3:
        wall.append(time.perf_counter() - t0); cpu.append(time.thread_time() - c0)
print(f"torch {torch.__version__}, {n_layer} layers, {threads} thread(s): {statistics.median(wall)*1000:.1f} ms / step wall, main-thread CPU {statistics.median(cpu)*1000:.1f} ms")
