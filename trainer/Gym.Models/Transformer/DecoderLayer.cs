using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Gym.Models.Transformer;

/// <summary>Grouped-query self-attention with rotary embeddings (q_proj, k_proj, v_proj, o_proj).</summary>
internal sealed class SelfAttention : nn.Module
{
    [ComponentName(Name = "q_proj")] private readonly Linear _query;
    [ComponentName(Name = "k_proj")] private readonly Linear _key;
    [ComponentName(Name = "v_proj")] private readonly Linear _value;
    [ComponentName(Name = "o_proj")] private readonly Linear _output;
    private readonly ModelConfig _config;
    private readonly Precision _precision;

    public SelfAttention(ModelConfig config, Precision precision, ScalarType dtype, Device device) : base(nameof(SelfAttention))
    {
        _config = config;
        _precision = precision;
        int h = config.HiddenSize, d = config.HeadDim;
        _query = nn.Linear(h, config.NumAttentionHeads * d, config.AttentionBias, device, dtype);
        _key = nn.Linear(h, config.NumKeyValueHeads * d, config.AttentionBias, device, dtype);
        _value = nn.Linear(h, config.NumKeyValueHeads * d, config.AttentionBias, device, dtype);
        _output = nn.Linear(config.NumAttentionHeads * d, h, false, device, dtype);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, bool causal, IAttentionCache? cache, int layer)
    {
        long b = x.size(0), t = x.size(1);
        int d = _config.HeadDim, heads = _config.NumAttentionHeads, kvHeads = _config.NumKeyValueHeads;
        Tensor q = _precision.Linear(_query, x).view(b, t, heads, d).transpose(1, 2);
        Tensor k = _precision.Linear(_key, x).view(b, t, kvHeads, d).transpose(1, 2);
        Tensor v = _precision.Linear(_value, x).view(b, t, kvHeads, d).transpose(1, 2);
        if (cos.dtype != q.dtype)
        {
            cos = cos.to(q.dtype);
            sin = sin.to(q.dtype);
        }
        q = Rope.Apply(q, cos, sin);
        k = Rope.Apply(k, cos, sin);
        if (cache is not null)
            (k, v) = cache.Append(layer, k, v);
        if (heads != kvHeads)
        {
            k = k.repeat_interleave(heads / kvHeads, 1);
            v = v.repeat_interleave(heads / kvHeads, 1);
        }
        Tensor attended = nn.functional.scaled_dot_product_attention(q, k, v, mask, is_casual: causal);
        return _precision.Linear(_output, attended.transpose(1, 2).reshape(b, t, heads * d));
    }
}

/// <summary>The SwiGLU feed-forward block: down(silu(gate(x)) * up(x)).</summary>
internal sealed class FeedForward : nn.Module
{
    [ComponentName(Name = "gate_proj")] private readonly Linear _gate;
    [ComponentName(Name = "up_proj")] private readonly Linear _up;
    [ComponentName(Name = "down_proj")] private readonly Linear _down;
    private readonly Precision _precision;

    public FeedForward(ModelConfig config, Precision precision, ScalarType dtype, Device device) : base(nameof(FeedForward))
    {
        _precision = precision;
        _gate = nn.Linear(config.HiddenSize, config.IntermediateSize, false, device, dtype);
        _up = nn.Linear(config.HiddenSize, config.IntermediateSize, false, device, dtype);
        _down = nn.Linear(config.IntermediateSize, config.HiddenSize, false, device, dtype);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x) =>
        _precision.Linear(_down, nn.functional.silu(_precision.Linear(_gate, x)) * _precision.Linear(_up, x));
}

/// <summary>A pre-norm decoder layer: x + attn(norm(x)), then + mlp(norm(.)).</summary>
internal sealed class DecoderLayer : nn.Module
{
    [ComponentName(Name = "self_attn")] private readonly SelfAttention _attention;
    [ComponentName(Name = "mlp")] private readonly FeedForward _mlp;
    [ComponentName(Name = "input_layernorm")] private readonly RmsNorm _inputNorm;
    [ComponentName(Name = "post_attention_layernorm")] private readonly RmsNorm _postAttentionNorm;

    public DecoderLayer(ModelConfig config, Precision precision, ScalarType dtype, Device device) : base(nameof(DecoderLayer))
    {
        _attention = new SelfAttention(config, precision, dtype, device);
        _mlp = new FeedForward(config, precision, dtype, device);
        _inputNorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        _postAttentionNorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, bool causal, IAttentionCache? cache, int layer)
    {
        Tensor h = x + _attention.Forward(_inputNorm.Forward(x), cos, sin, mask, causal, cache, layer).to(x.dtype);
        return h + _mlp.Forward(_postAttentionNorm.Forward(h)).to(h.dtype);
    }
}

/// <summary>Embeddings, the decoder layers and the final norm: "model." in Hugging Face names.</summary>
internal sealed class DecoderStack : nn.Module
{
    [ComponentName(Name = "embed_tokens")] private readonly Embedding _embed;
    [ComponentName(Name = "layers")] private readonly ModuleList<DecoderLayer> _layers;
    [ComponentName(Name = "norm")] private readonly RmsNorm _norm;

    public DecoderStack(ModelConfig config, Precision precision, ScalarType dtype, Device device) : base(nameof(DecoderStack))
    {
        _embed = nn.Embedding(config.VocabSize, config.HiddenSize, device: device, dtype: dtype);
        _layers = nn.ModuleList([.. Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new DecoderLayer(config, precision, dtype, device))]);
        _norm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        RegisterComponents();
    }

    public Embedding Embed => _embed;
    public ModuleList<DecoderLayer> Layers => _layers;
    public RmsNorm Norm => _norm;
}
