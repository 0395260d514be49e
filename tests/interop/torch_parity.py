"""Reference values for Gym.Models, computed by PyTorch (Debian's python3-torch, the same libtorch Gym binds).

Builds a fixed tiny Llama-style decoder (RMSNorm, RoPE in the rotate-half layout, grouped-query attention,
SwiGLU, untied output projection) with seeded weights, writes it as a Hugging Face checkpoint
(config.json + model.safetensors, the safetensors file written by hand from the format's specification), runs
fixed inputs through it, and writes the logits, the next-token cross-entropy loss, the gradient of every
weight, and the weights after three torch.optim.AdamW steps on those gradients to expected.safetensors. The same
checkpoint is also written the older Hugging Face way, as a pickled state dict (OUT_DIR/pickled/pytorch_model.bin,
by torch.save).

Usage: python3 torch_parity.py OUT_DIR
"""
import json
import os
import struct
import sys

import torch

CONFIG = {
    "architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 48, "hidden_size": 32,
    "intermediate_size": 72, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
    "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "max_position_embeddings": 64, "tie_word_embeddings": False,
    "torch_dtype": "float32",
}


def weights(cfg):
    g = torch.Generator().manual_seed(1234)
    h, i, d = cfg["hidden_size"], cfg["intermediate_size"], cfg["hidden_size"] // cfg["num_attention_heads"]
    kv = cfg["num_key_value_heads"] * d

    def w(*shape, scale=0.2):
        return (torch.randn(*shape, generator=g) * scale).requires_grad_()

    p = {"model.embed_tokens.weight": w(cfg["vocab_size"], h, scale=1.0)}
    for layer in range(cfg["num_hidden_layers"]):
        pre = f"model.layers.{layer}."
        p[pre + "self_attn.q_proj.weight"] = w(h, h)
        p[pre + "self_attn.k_proj.weight"] = w(kv, h)
        p[pre + "self_attn.v_proj.weight"] = w(kv, h)
        p[pre + "self_attn.o_proj.weight"] = w(h, h)
        p[pre + "mlp.gate_proj.weight"] = w(i, h)
        p[pre + "mlp.up_proj.weight"] = w(i, h)
        p[pre + "mlp.down_proj.weight"] = w(h, i)
        p[pre + "input_layernorm.weight"] = (1 + torch.randn(h, generator=g) * 0.1).requires_grad_()
        p[pre + "post_attention_layernorm.weight"] = (1 + torch.randn(h, generator=g) * 0.1).requires_grad_()
    p["model.norm.weight"] = (1 + torch.randn(h, generator=g) * 0.1).requires_grad_()
    p["lm_head.weight"] = w(cfg["vocab_size"], h)
    return p


def rms_norm(x, weight, eps):
    return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


def forward(p, cfg, ids):
    return hidden_states(p, cfg, ids) @ p["lm_head.weight"].T


def hidden_states(p, cfg, ids):
    """The final normalised hidden states [batch, length, hidden], before the output head."""
    b, t = ids.shape
    heads, kv_heads = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    d = cfg["hidden_size"] // heads
    inv = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, d, 2, dtype=torch.float32) / d))
    angles = torch.arange(t, dtype=torch.float32)[:, None] * inv[None, :]
    emb = torch.cat([angles, angles], dim=-1)
    cos, sin = emb.cos()[None, None], emb.sin()[None, None]
    causal = torch.ones(t, t, dtype=torch.bool).tril()
    x = p["model.embed_tokens.weight"][ids]
    for layer in range(cfg["num_hidden_layers"]):
        pre = f"model.layers.{layer}."
        hs = rms_norm(x, p[pre + "input_layernorm.weight"], cfg["rms_norm_eps"])
        q = (hs @ p[pre + "self_attn.q_proj.weight"].T).view(b, t, heads, d).transpose(1, 2)
        k = (hs @ p[pre + "self_attn.k_proj.weight"].T).view(b, t, kv_heads, d).transpose(1, 2)
        v = (hs @ p[pre + "self_attn.v_proj.weight"].T).view(b, t, kv_heads, d).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(heads // kv_heads, dim=1)
        v = v.repeat_interleave(heads // kv_heads, dim=1)
        scores = (q @ k.transpose(-2, -1)) / (d ** 0.5)
        scores = scores.masked_fill(~causal, float("-inf"))
        attn = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, heads * d)
        x = x + attn @ p[pre + "self_attn.o_proj.weight"].T
        hs = rms_norm(x, p[pre + "post_attention_layernorm.weight"], cfg["rms_norm_eps"])
        gate = torch.nn.functional.silu(hs @ p[pre + "mlp.gate_proj.weight"].T)
        x = x + (gate * (hs @ p[pre + "mlp.up_proj.weight"].T)) @ p[pre + "mlp.down_proj.weight"].T
    return rms_norm(x, p["model.norm.weight"], cfg["rms_norm_eps"])


def save_safetensors(path, tensors):
    """Writes the safetensors format by its specification: u64 header length, JSON header, raw bytes."""
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header).encode("utf-8")
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def main(out):
    os.makedirs(out, exist_ok=True)
    p = weights(CONFIG)
    ids = torch.tensor([[1, 5, 9, 13, 2, 40, 7, 3], [4, 4, 17, 30, 11, 0, 47, 22]], dtype=torch.long)
    logits = forward(p, CONFIG, ids)
    loss = torch.nn.functional.cross_entropy(logits[:, :-1].reshape(-1, CONFIG["vocab_size"]), ids[:, 1:].reshape(-1))
    loss.backward()
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(CONFIG, f)
    save_safetensors(os.path.join(out, "model.safetensors"), p)
    os.makedirs(os.path.join(out, "pickled"), exist_ok=True)
    with open(os.path.join(out, "pickled", "config.json"), "w") as f:
        json.dump(CONFIG, f)
    torch.save({name: t.detach().clone() for name, t in p.items()}, os.path.join(out, "pickled", "pytorch_model.bin"))
    expected = {"ids": ids.to(torch.float32), "logits": logits, "loss": loss.reshape(1)}
    expected.update({"grad." + name: t.grad.clone() for name, t in p.items()})
    # Three AdamW steps on these gradients (torch.optim.AdamW, decoupled weight decay).
    optimizer = torch.optim.AdamW(list(p.values()), lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)
    for _ in range(3):
        optimizer.step()
    expected.update({"adamw." + name: t.detach().clone() for name, t in p.items()})
    save_safetensors(os.path.join(out, "expected.safetensors"), expected)
    print(json.dumps({"loss": loss.item(), "torch": torch.__version__}))


if __name__ == "__main__":
    main(sys.argv[1])
