"""The peer of Gym's model benchmark: forward+backward tokens/s of the same Llama-style model in PyTorch eager
(Debian's python3-torch), and greedy generation with a KV cache. The model is the one
tests/interop/torch_parity.py defines.

Usage: python3 bench/model_bench.py [threads] [iterations]
       python3 bench/model_bench.py generate [threads]
"""
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "interop"))
import torch_parity  # noqa: E402

CONFIG = dict(torch_parity.CONFIG, vocab_size=272, hidden_size=256, intermediate_size=688, num_hidden_layers=4,
              num_attention_heads=8, num_key_value_heads=4, max_position_embeddings=512)
BATCH, LENGTH = 8, 128


def generate(threads):
    """8 prompts of 43 byte tokens, 64 new tokens each, greedy, with a KV cache: what Gym.Bench model-generate does."""
    torch.set_num_threads(threads)
    cfg = CONFIG
    p = {k: v.detach() for k, v in torch_parity.weights(cfg).items()}
    heads, kv_heads = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    d = cfg["hidden_size"] // heads
    inv = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, d, 2, dtype=torch.float32) / d))
    prompts = torch.tensor([list(f"prompt number {i:02d}: describe the room and act.".encode()) for i in range(BATCH)])

    def step(ids, cache, start):
        b, t = ids.shape
        angles = torch.arange(start, start + t, dtype=torch.float32)[:, None] * inv[None, :]
        emb = torch.cat([angles, angles], dim=-1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        x = p["model.embed_tokens.weight"][ids]
        for layer in range(cfg["num_hidden_layers"]):
            pre = f"model.layers.{layer}."
            hs = torch_parity.rms_norm(x, p[pre + "input_layernorm.weight"], cfg["rms_norm_eps"])
            q = (hs @ p[pre + "self_attn.q_proj.weight"].T).view(b, t, heads, d).transpose(1, 2)
            k = (hs @ p[pre + "self_attn.k_proj.weight"].T).view(b, t, kv_heads, d).transpose(1, 2)
            v = (hs @ p[pre + "self_attn.v_proj.weight"].T).view(b, t, kv_heads, d).transpose(1, 2)
            q = q * cos + torch_parity.rotate_half(q) * sin
            k = k * cos + torch_parity.rotate_half(k) * sin
            if layer in cache:
                k = torch.cat([cache[layer][0], k], dim=2)
                v = torch.cat([cache[layer][1], v], dim=2)
            cache[layer] = (k, v)
            k = k.repeat_interleave(heads // kv_heads, dim=1)
            v = v.repeat_interleave(heads // kv_heads, dim=1)
            scores = (q @ k.transpose(-2, -1)) / (d ** 0.5)
            if t > 1:
                scores = scores.masked_fill(~torch.ones(t, t, dtype=torch.bool).tril(), float("-inf"))
            attn = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, heads * d)
            x = x + attn @ p[pre + "self_attn.o_proj.weight"].T
            hs = torch_parity.rms_norm(x, p[pre + "post_attention_layernorm.weight"], cfg["rms_norm_eps"])
            gate = torch.nn.functional.silu(hs @ p[pre + "mlp.gate_proj.weight"].T)
            x = x + (gate * (hs @ p[pre + "mlp.up_proj.weight"].T)) @ p[pre + "mlp.down_proj.weight"].T
        x = torch_parity.rms_norm(x[:, -1:], p["model.norm.weight"], cfg["rms_norm_eps"])
        return (x @ p["lm_head.weight"].T)[:, -1]

    def run(new_tokens):
        with torch.no_grad():
            cache = {}
            logits = step(prompts, cache, 0)
            out = []
            for i in range(new_tokens):
                token = logits.log_softmax(-1).argmax(-1, keepdim=True)
                out.append(token)
                if i < new_tokens - 1:
                    logits = step(token, cache, prompts.shape[1] + i)
            return torch.cat(out, dim=1)

    run(4)
    rates = []
    for _ in range(5):  # the median of five runs: one run is under a second
        start = time.perf_counter()
        tokens = run(64)
        rates.append(tokens.numel() / (time.perf_counter() - start))
    rate = sorted(rates)[2]
    print(f"pytorch eager generation with KV cache: {rate:.0f} tokens/s, median of 5 ({BATCH} sequences x 64 tokens, prompts of {prompts.shape[1]} tokens, {threads} threads)")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "generate":
        generate(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
        return
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    torch.set_num_threads(threads)
    params = torch_parity.weights(CONFIG)
    ids = torch.randint(0, CONFIG["vocab_size"], (BATCH, LENGTH), generator=torch.Generator().manual_seed(0))

    def step():
        for t in params.values():
            t.grad = None
        logits = torch_parity.forward(params, CONFIG, ids)
        loss = torch.nn.functional.cross_entropy(logits[:, :-1].reshape(-1, CONFIG["vocab_size"]), ids[:, 1:].reshape(-1))
        loss.backward()

    for _ in range(3):
        step()
    start = time.perf_counter()
    for _ in range(iterations):
        step()
    elapsed = time.perf_counter() - start
    tokens = BATCH * LENGTH * iterations
    print(f"pytorch eager: forward+backward {tokens / elapsed:.0f} tokens/s ({elapsed / iterations * 1000:.1f} ms/step, {threads} threads, torch {torch.__version__})")


if __name__ == "__main__":
    main()
