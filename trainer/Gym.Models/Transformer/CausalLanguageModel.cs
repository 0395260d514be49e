using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Gym.Models.Transformer;

/// <summary>The outputs of a forward pass.</summary>
/// <param name="Logits">[batch, length, vocab].</param>
/// <param name="Values">[batch, length] from the value head, or null without one.</param>
public sealed record ModelOutput(Tensor Logits, Tensor? Values);

/// <summary>
/// A decoder-only transformer in the Llama/Qwen2 family: token embeddings, pre-norm layers of grouped-query
/// attention with RoPE and SwiGLU feed-forward blocks, a final RMSNorm, an output projection (tied to the
/// embeddings or not) and an optional scalar value head. Parameter names are Hugging Face's.
/// </summary>
public sealed class CausalLanguageModel : nn.Module
{
    [ComponentName(Name = "model")] private readonly DecoderStack _stack;
    [ComponentName(Name = "lm_head")] private readonly Linear? _lmHead;
    [ComponentName(Name = "value_head")] private readonly Linear? _valueHead;
    private readonly Rope _rope;

    /// <summary>
    /// Creates a model on <paramref name="device"/> with weights drawn from N(0, 0.02²) (norms at 1, biases at 0),
    /// seeded by <paramref name="seed"/>. On CUDA, matrix products run in bfloat16 (<see cref="Precision"/>).
    /// </summary>
    public CausalLanguageModel(ModelConfig config, ulong seed = 0, ScalarType dtype = ScalarType.Float32, Device? device = null)
        : base(nameof(CausalLanguageModel))
    {
        Config = (config ?? throw new ArgumentNullException(nameof(config))).Validate();
        Dtype = dtype;
        Device = device ?? CPU;
        Precision = new Precision { Autocast = TorchDevices.AutocastType(Device) };
        _stack = new DecoderStack(config, Precision, dtype, Device);
        if (!config.TieWordEmbeddings)
            _lmHead = nn.Linear(config.HiddenSize, config.VocabSize, false, Device, dtype);
        if (config.ValueHead)
            _valueHead = nn.Linear(config.HiddenSize, 1, true, Device, dtype);
        _rope = new Rope(config.HeadDim, config.RopeTheta);
        RegisterComponents();
        using Generator generator = new(seed, CPU);
        using (no_grad())
        {
            foreach ((string name, Parameter p) in named_parameters())
            {
                // Parameters belong to the model, never to a dispose scope the caller happens to be in.
                p.DetachFromDisposeScope();
                using DisposeScope scope = NewDisposeScope();
                if (p.dim() == 2)
                    p.copy_(randn(p.shape, ScalarType.Float32, generator: generator).mul(Scalars.Of(0.02)));
                else if (name.EndsWith("bias", StringComparison.Ordinal))
                    p.zero_();
            }
        }
    }

    /// <summary>The configuration.</summary>
    public ModelConfig Config { get; }

    /// <summary>The weights' element type.</summary>
    public ScalarType Dtype { get; }

    /// <summary>The weights' device.</summary>
    public Device Device { get; }

    /// <summary>The type matrix products run in (bfloat16 autocast on CUDA by default; settable).</summary>
    public Precision Precision { get; }

    /// <summary>Whether the model has a value head.</summary>
    public bool HasValueHead => _valueHead is not null;

    /// <summary>
    /// Runs the model on <paramref name="ids"/> [batch, length] (int64). <paramref name="attentionMask"/> [batch,
    /// past + length] marks real tokens (1) and padding (0); without one every token is real (padding on the right
    /// needs none: no real token attends to a later one). <paramref name="positions"/> [batch, length] gives each
    /// token's position (default: past, past + 1, ...). With a <paramref name="cache"/>, the keys and values of these
    /// tokens are appended to it and attention covers the cached positions too.
    /// </summary>
    public ModelOutput Forward(Tensor ids, Tensor? attentionMask = null, Tensor? positions = null, IAttentionCache? cache = null)
    {
        Tensor hidden = HiddenStates(ids, attentionMask, positions, cache);
        return new ModelOutput(Logits(hidden), Values(hidden));
    }

    /// <summary>
    /// The final (normalised) hidden states [batch, length, hidden] of <see cref="Forward"/>, before the output and
    /// value heads: callers that need logits at a few positions only apply <see cref="Logits"/> to those.
    /// </summary>
    public Tensor HiddenStates(Tensor ids, Tensor? attentionMask = null, Tensor? positions = null, IAttentionCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.dim() != 2 || ids.dtype != ScalarType.Int64)
            throw new ArgumentException($"Token ids must be a [batch, length] int64 tensor, not [{string.Join(", ", ids.shape)}] {ids.dtype}.", nameof(ids));
        long batch = ids.size(0), length = ids.size(1);
        long past = cache?.Length ?? 0;
        if (attentionMask is not null && !attentionMask.shape.SequenceEqual([batch, past + length]))
            throw new ArgumentException($"The attention mask is [{string.Join(", ", attentionMask.shape)}]; [{batch}, {past + length}] was expected.", nameof(attentionMask));
        if (positions is not null && !positions.shape.SequenceEqual([batch, length]))
            throw new ArgumentException($"The positions are [{string.Join(", ", positions.shape)}]; [{batch}, {length}] was expected.", nameof(positions));
        if (past + length > Config.MaxPositionEmbeddings)
            throw new ArgumentException($"{past + length} positions exceed the model's context of {Config.MaxPositionEmbeddings}.", nameof(ids));
        positions ??= arange(past, past + length, ScalarType.Int64, Device).unsqueeze(0).expand(batch, length);
        (Tensor cos, Tensor sin) = _rope.Tables(positions, Dtype);
        // Without padding, attention needs no mask in the two common cases, which lets libtorch take its fused kernels:
        // a fresh sequence attends causally to itself, and one new token attends to everything before it.
        bool plain = attentionMask is null && (past == 0 || length == 1);
        Tensor? mask = plain ? null : BuildMask(attentionMask, batch, length, past + length);
        bool causal = plain && length > 1;
        Tensor x = _stack.Embed.forward(ids);
        for (int i = 0; i < _stack.Layers.Count; i++)
            x = _stack.Layers[i].Forward(x, cos, sin, mask, causal, cache, i);
        cache?.Advance((int)length);
        return _stack.Norm.Forward(x);
    }

    /// <summary>The output head: logits [..., vocab] of hidden states [..., hidden] (in the autocast type when there is one).</summary>
    public Tensor Logits(Tensor hidden)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        if (_lmHead is not null)
            return Precision.Linear(_lmHead, hidden);
        return Precision.Autocast is { } type ? nn.functional.linear(hidden.to(type), _stack.Embed.weight!.to(type)) : nn.functional.linear(hidden, _stack.Embed.weight!);
    }

    /// <summary>The value head: one value per hidden state ([...]), or null when the model has none.</summary>
    public Tensor? Values(Tensor hidden) => _valueHead is null ? null : Precision.Linear(_valueHead, hidden).squeeze(-1);

    // allowed[b, 1, q, k]: key k is a real token and not in the future of query q. Every query may attend to
    // itself, so rows of padding stay finite (their outputs are never used).
    private Tensor BuildMask(Tensor? attentionMask, long batch, long queries, long keys)
    {
        Tensor causal = ones([queries, keys], ScalarType.Bool, Device).tril(keys - queries);
        if (attentionMask is null)
            return causal.unsqueeze(0).unsqueeze(0);
        Tensor self = causal.logical_and(ones([queries, keys], ScalarType.Bool, Device).triu(keys - queries));
        Tensor real = attentionMask.ne(Scalars.Of(0L)).view(batch, 1, 1, keys);
        return causal.unsqueeze(0).unsqueeze(0).logical_and(real).logical_or(self.unsqueeze(0).unsqueeze(0));
    }

    /// <summary>Saves <c>config.json</c> and <c>model.safetensors</c> (Hugging Face layout) into <paramref name="directory"/>.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        Config.Save(Path.Combine(directory, "config.json"));
        Safetensors.Save(Path.Combine(directory, "model.safetensors"), [.. named_parameters().Select(p => (p.name, (Tensor)p.parameter))],
            new Dictionary<string, string> { ["format"] = "pt" });
    }

    /// <summary>
    /// Loads a model saved by <see cref="Save"/> or a compatible Hugging Face checkpoint (<c>model.safetensors</c>,
    /// sharded safetensors, or a PyTorch <c>pytorch_model.bin</c>). With <paramref name="addValueHead"/>, a checkpoint
    /// without a value head gets a new one (weights drawn as for a new model), as when a critic is trained on top of a
    /// fine-tuned policy.
    /// </summary>
    public static CausalLanguageModel Load(string directory, ScalarType? dtype = null, Device? device = null, bool addValueHead = false)
    {
        ModelConfig config = ModelConfig.Load(Path.Combine(directory, "config.json"));
        bool newValueHead = addValueHead && !config.ValueHead;
        if (newValueHead)
            config = config with { ValueHead = true };
        ScalarType type = dtype ?? (config.TorchDtype == "bfloat16" ? ScalarType.BFloat16 : config.TorchDtype == "float16" ? ScalarType.Float16 : ScalarType.Float32);
        (Dictionary<string, Tensor> tensors, string source) = CheckpointWeights.Read(directory);
        CausalLanguageModel model = new(config, 0, type, device);
        try
        {
            model.LoadWeights(tensors, source, optional: newValueHead ? "value_head." : null);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            foreach (Tensor t in tensors.Values)
                t.Dispose();
        }
        return model;
    }

    /// <summary>
    /// Copies weights by Hugging Face name; every parameter must be present with its shape, except those whose
    /// name starts with <paramref name="optional"/>, which keep their initial values when absent.
    /// </summary>
    public void LoadWeights(IReadOnlyDictionary<string, Tensor> tensors, string source = "weights", string? optional = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        HashSet<string> used = [];
        foreach ((string name, Parameter p) in named_parameters())
        {
            if (!tensors.TryGetValue(name, out Tensor? t) && optional is not null && name.StartsWith(optional, StringComparison.Ordinal))
                continue;
            if (t is null)
                throw new InvalidDataException($"{source}: missing tensor '{name}'.");
            if (!t.shape.SequenceEqual(p.shape))
                throw new InvalidDataException($"{source}: tensor '{name}' has shape [{string.Join(", ", t.shape)}], the model expects [{string.Join(", ", p.shape)}].");
            using DisposeScope scope = NewDisposeScope();
            using (no_grad())
                p.copy_(t.to(Dtype, Device));
            used.Add(name);
        }
        // Tied checkpoints may still carry lm_head.weight; rotary tables are recomputed.
        string[] unexpected = [.. tensors.Keys.Where(k => !used.Contains(k) && !(k == "lm_head.weight" && Config.TieWordEmbeddings) && !k.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal))];
        if (unexpected.Length > 0)
            throw new InvalidDataException($"{source}: tensors the model does not have: {string.Join(", ", unexpected.Take(10))}.");
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _rope.Dispose();
        base.Dispose(disposing);
    }
}
