"""The peer of Gym's update benchmark: the same PPO update in PyTorch eager (Debian's python3-torch).

  python3 bench/update_bench.py prepare DIR            writes the main job's model shape as a checkpoint (seeded)
  python3 bench/update_bench.py run DIR [threads] [repeats]

`run` reads DIR/rows.json (written by Gym.Bench update-rows) and applies, like Gym.Bench update, one update per
repeat: minibatches of 128 rows in file order; each row's prompt and response through the model, the response
positions through the output head; dual-clip PPO (0.2 / 0.28 / 3), token-mean; the entropy for statistics; gradient
clipping at 1; AdamW (lr 6e-4, no weight decay). It prints the median time and the first update's mean loss.
"""
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "interop"))
import torch_parity  # noqa: E402

CONFIG = dict(torch_parity.CONFIG, vocab_size=272, hidden_size=64, intermediate_size=172, num_hidden_layers=2,
              num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=1024)


def load_safetensors(path):
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        begin, end = e["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(e["shape"]).clone()
    return tensors


def update(p, optimizer, rows, pad):
    losses = []
    for start in range(0, len(rows), 128):
        batch = rows[start:start + 128]
        length = max(len(r["prompt"]) + len(r["response"]) for r in batch)
        width = max(len(r["response"]) for r in batch)
        ids = torch.full((len(batch), length), pad, dtype=torch.long)
        predictors = torch.zeros(len(batch), width, dtype=torch.long)
        targets = torch.full((len(batch), width), pad, dtype=torch.long)
        old = torch.zeros(len(batch), width)
        advantages = torch.zeros(len(batch), width)
        mask = torch.zeros(len(batch), width)
        for b, r in enumerate(batch):
            prompt, response = r["prompt"], r["response"]
            ids[b, :len(prompt) + len(response)] = torch.tensor(prompt + response)
            n = len(response)
            predictors[b] = len(prompt) - 1
            predictors[b, :n] = torch.arange(len(prompt) - 1, len(prompt) - 1 + n)
            targets[b, :n] = torch.tensor(response)
            old[b, :n] = torch.tensor(r["old"])
            advantages[b, :n] = r["advantage"]
            mask[b, :n] = 1
        hidden = torch_parity.hidden_states(p, CONFIG, ids)
        chosen = hidden.gather(1, predictors.unsqueeze(-1).expand(-1, -1, hidden.shape[-1]))
        log_softmax = (chosen @ p["lm_head.weight"].T).log_softmax(-1)
        logp = log_softmax.gather(2, targets.unsqueeze(-1)).squeeze(-1)
        with torch.no_grad():
            entropy = (-(log_softmax.exp() * log_softmax).sum(-1) * mask).sum() / (mask.sum() + 1e-8)
        ratio = (logp - old).clamp(-20, 20).exp()
        loss1 = -advantages * ratio
        loss2 = -advantages * ratio.clamp(1 - 0.2, 1 + 0.28)
        clipped = torch.maximum(loss1, loss2)
        dual = torch.minimum(-advantages * 3.0, clipped)
        losses_t = torch.where(advantages < 0, dual, clipped)
        loss = (losses_t * mask).sum() / (mask.sum() + 1e-8)
        optimizer.zero_grad(set_to_none=False)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(p.values()), 1.0)
        optimizer.step()
        losses.append(loss.item())
        del entropy
    return sum(losses) / len(losses)


def main():
    if sys.argv[1] == "prepare":
        out = sys.argv[2]
        os.makedirs(out, exist_ok=True)
        p = torch_parity.weights(CONFIG)
        with open(os.path.join(out, "config.json"), "w") as f:
            json.dump(CONFIG, f)
        torch_parity.save_safetensors(os.path.join(out, "model.safetensors"), p)
        return
    directory = sys.argv[2]
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    torch.set_num_threads(threads)
    p = {k: v.requires_grad_() for k, v in load_safetensors(os.path.join(directory, "model.safetensors")).items()}
    rows = json.load(open(os.path.join(directory, "rows.json")))
    optimizer = torch.optim.AdamW(list(p.values()), lr=6e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    pad = 256  # the byte tokenizer's padding id, as Gym pads
    first = update(p, optimizer, rows, pad)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        update(p, optimizer, rows, pad)
        times.append(time.perf_counter() - start)
    median = sorted(times)[len(times) // 2]
    print(f"pytorch eager: update {len(rows) / median:.0f} rows/s ({median * 1000:.0f} ms per update of {len(rows)} rows, median of {repeats}, {threads} threads), first loss {first:.6f}")


if __name__ == "__main__":
    main()
