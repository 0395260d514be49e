using Gym.Torch;
using Gym.Torch.Nn;

namespace Gym.Models.Transformer;

/// <summary>Grouped-query self-attention with rotary embeddings (q_proj, k_proj, v_proj, o_proj).</summary>
internal sealed class SelfAttention : Module
{
    private readonly ModelConfig _config;

    public SelfAttention(ModelConfig config, Generator generator, ScalarType dtype, Device device)
    {
        _config = config;
        int h = config.HiddenSize, d = config.HeadDim;
        Q = RegisterModule("q_proj", new Linear(h, config.NumAttentionHeads * d, generator, config.AttentionBias, dtype, device));
        K = RegisterModule("k_proj", new Linear(h, config.NumKeyValueHeads * d, generator, config.AttentionBias, dtype, device));
        V = RegisterModule("v_proj", new Linear(h, config.NumKeyValueHeads * d, generator, config.AttentionBias, dtype, device));
        O = RegisterModule("o_proj", new Linear(config.NumAttentionHeads * d, h, generator, false, dtype, device));
    }

    public Linear Q { get; }
    public Linear K { get; }
    public Linear V { get; }
    public Linear O { get; }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, int layer)
    {
        long b = x.Size(0), t = x.Size(1);
        int d = _config.HeadDim;
        Tensor q = Q.Forward(x).View(b, t, _config.NumAttentionHeads, d).Transpose(1, 2);
        Tensor k = K.Forward(x).View(b, t, _config.NumKeyValueHeads, d).Transpose(1, 2);
        Tensor v = V.Forward(x).View(b, t, _config.NumKeyValueHeads, d).Transpose(1, 2);
        q = Functional.Rotary(q, cos, sin);
        k = Functional.Rotary(k, cos, sin);
        if (cache is not null)
            (k, v) = cache.Append(layer, k, v);
        Tensor attended = Functional.Attention(q, k, v, mask, causal: mask is null);
        return O.Forward(attended.Transpose(1, 2).Reshape(b, t, _config.NumAttentionHeads * d));
    }
}

/// <summary>The SwiGLU feed-forward block: down(silu(gate(x)) * up(x)).</summary>
internal sealed class FeedForward : Module
{
    public FeedForward(ModelConfig config, Generator generator, ScalarType dtype, Device device)
    {
        Gate = RegisterModule("gate_proj", new Linear(config.HiddenSize, config.IntermediateSize, generator, false, dtype, device));
        Up = RegisterModule("up_proj", new Linear(config.HiddenSize, config.IntermediateSize, generator, false, dtype, device));
        Down = RegisterModule("down_proj", new Linear(config.IntermediateSize, config.HiddenSize, generator, false, dtype, device));
    }

    public Linear Gate { get; }
    public Linear Up { get; }
    public Linear Down { get; }

    public Tensor Forward(Tensor x) => Down.Forward(Gate.Forward(x).Silu() * Up.Forward(x));
}

/// <summary>A pre-norm decoder layer: x + attn(norm(x)), then + mlp(norm(.)).</summary>
internal sealed class DecoderLayer : Module
{
    public DecoderLayer(ModelConfig config, Generator generator, ScalarType dtype, Device device)
    {
        Attention = RegisterModule("self_attn", new SelfAttention(config, generator, dtype, device));
        Mlp = RegisterModule("mlp", new FeedForward(config, generator, dtype, device));
        InputNorm = RegisterModule("input_layernorm", new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device));
        PostAttentionNorm = RegisterModule("post_attention_layernorm", new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device));
    }

    public SelfAttention Attention { get; }
    public FeedForward Mlp { get; }
    public RmsNorm InputNorm { get; }
    public RmsNorm PostAttentionNorm { get; }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, int layer)
    {
        Tensor h = x + Attention.Forward(InputNorm.Forward(x), cos, sin, mask, cache, layer);
        return h + Mlp.Forward(PostAttentionNorm.Forward(h));
    }
}

/// <summary>Embeddings, the decoder layers and the final norm: "model." in Hugging Face names.</summary>
internal sealed class DecoderStack : Module
{
    public DecoderStack(ModelConfig config, Generator generator, ScalarType dtype, Device device)
    {
        Embed = RegisterModule("embed_tokens", new Embedding(config.VocabSize, config.HiddenSize, generator, dtype, device));
        Layers = [.. Enumerable.Range(0, config.NumHiddenLayers).Select(i => RegisterModule($"layers.{i}", new DecoderLayer(config, generator, dtype, device)))];
        Norm = RegisterModule("norm", new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device));
    }

    public Embedding Embed { get; }
    public DecoderLayer[] Layers { get; }
    public RmsNorm Norm { get; }
}
