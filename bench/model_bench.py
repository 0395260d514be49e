"""The peer of Gym's model benchmark: forward+backward tokens/s of the same Llama-style model in PyTorch eager,
on the same libtorch (Debian's python3-torch). The model is the one tests/interop/torch_parity.py defines.

Usage: python3 bench/model_bench.py [threads] [iterations]
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


def main():
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
