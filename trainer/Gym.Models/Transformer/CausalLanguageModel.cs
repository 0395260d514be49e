using Gym.Torch;
using Gym.Torch.Nn;

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
public sealed class CausalLanguageModel : Module
{
    private readonly DecoderStack _stack;
    private readonly Linear? _lmHead;
    private readonly Linear? _valueHead;
    private readonly Rope _rope;

    /// <summary>Creates a model with weights drawn from N(0, 0.02²) (norms at 1), seeded by <paramref name="seed"/>.</summary>
    public CausalLanguageModel(ModelConfig config, ulong seed = 0, ScalarType dtype = ScalarType.Float32, Device device = default)
    {
        Config = (config ?? throw new ArgumentNullException(nameof(config))).Validate();
        Dtype = dtype;
        Device = device;
        using Generator generator = new(seed);
        _stack = RegisterModule("model", new DecoderStack(config, generator, dtype, device));
        if (!config.TieWordEmbeddings)
            _lmHead = RegisterModule("lm_head", new Linear(config.HiddenSize, config.VocabSize, generator, false, dtype, device));
        if (config.ValueHead)
            _valueHead = RegisterModule("value_head", new Linear(config.HiddenSize, 1, generator, true, dtype, device));
        _rope = new Rope(config.HeadDim, config.RopeTheta);
        using DisposeScope scope = TorchRuntime.NewDisposeScope();
        using NoGradScope noGrad = TorchRuntime.NoGrad();
        foreach ((string name, Parameter p) in NamedParameters())
        {
            if (p.Value.Dimensions == 2)
                p.Load(Tensor.Randn(p.Value.Shape, generator, ScalarType.Float32, device).Mul(0.02).To(dtype));
            else if (name.EndsWith("bias", StringComparison.Ordinal))
                p.Value.Fill_(0);
        }
    }

    /// <summary>The configuration.</summary>
    public ModelConfig Config { get; }

    /// <summary>The weights' element type.</summary>
    public ScalarType Dtype { get; }

    /// <summary>The weights' device.</summary>
    public Device Device { get; }

    /// <summary>Whether the model has a value head.</summary>
    public bool HasValueHead => _valueHead is not null;

    /// <summary>
    /// Runs the model on <paramref name="ids"/> [batch, length]. <paramref name="attentionMask"/> [batch,
    /// past + length] marks real tokens (1) and padding (0); <paramref name="positions"/> [batch, length] gives
    /// each token's position (default: 0.. for the full sequence). With a <paramref name="cache"/>, the keys and
    /// values of these tokens are appended to it and attention covers the cached positions too.
    /// </summary>
    public ModelOutput Forward(Tensor ids, Tensor? attentionMask = null, Tensor? positions = null, KvCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        long batch = ids.Size(0), length = ids.Size(1);
        long past = cache?.Length ?? 0;
        positions ??= Tensor.Arange(past, past + length, device: Device).Unsqueeze(0).Expand(batch, length);
        (Tensor cos, Tensor sin) = _rope.Tables(positions, Dtype);
        Tensor? mask = attentionMask is null && cache is null ? null : BuildMask(attentionMask, batch, length, past + length);
        Tensor x = _stack.Embed.Forward(ids);
        for (int i = 0; i < _stack.Layers.Length; i++)
            x = _stack.Layers[i].Forward(x, cos, sin, mask, cache, i);
        cache?.Advance((int)length);
        x = _stack.Norm.Forward(x);
        Tensor logits = _lmHead is null ? Functional.Linear(x, _stack.Embed.Weight.Value) : _lmHead.Forward(x);
        Tensor? values = _valueHead?.Forward(x).Squeeze(-1);
        return new ModelOutput(logits, values);
    }

    // allowed[b, 1, q, k]: key k is a real token and not in the future of query q. Every query may attend to
    // itself, so rows of padding stay finite (their outputs are never used).
    private Tensor BuildMask(Tensor? attentionMask, long batch, long queries, long keys)
    {
        Tensor causal = Tensor.Ones([queries, keys], ScalarType.Bool, Device).Tril(keys - queries);
        if (attentionMask is null)
            return causal.Unsqueeze(0).Unsqueeze(0);
        Tensor self = Tensor.Ones([queries, keys], ScalarType.Bool, Device).Tril(keys - queries).LogicalAnd(Tensor.Ones([queries, keys], ScalarType.Bool, Device).Triu(keys - queries));
        Tensor real = attentionMask.Ne(0).View(batch, 1, 1, keys);
        return causal.Unsqueeze(0).Unsqueeze(0).LogicalAnd(real).LogicalOr(self.Unsqueeze(0).Unsqueeze(0));
    }

    /// <summary>Saves <c>config.json</c> and <c>model.safetensors</c> (Hugging Face layout) into <paramref name="directory"/>.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        Config.Save(Path.Combine(directory, "config.json"));
        Safetensors.Save(Path.Combine(directory, "model.safetensors"), [.. NamedParameters().Select(p => (p.Name, p.Parameter.Value))],
            new Dictionary<string, string> { ["format"] = "pt" });
    }

    /// <summary>
    /// Loads a model saved by <see cref="Save"/> or a compatible Hugging Face checkpoint. With
    /// <paramref name="addValueHead"/>, a checkpoint without a value head gets a new one (weights drawn as for a
    /// new model), as when a critic is trained on top of a fine-tuned policy.
    /// </summary>
    public static CausalLanguageModel Load(string directory, ScalarType? dtype = null, Device device = default, bool addValueHead = false)
    {
        ModelConfig config = ModelConfig.Load(Path.Combine(directory, "config.json"));
        bool newValueHead = addValueHead && !config.ValueHead;
        if (newValueHead)
            config = config with { ValueHead = true };
        ScalarType type = dtype ?? (config.TorchDtype == "bfloat16" ? ScalarType.BFloat16 : config.TorchDtype == "float16" ? ScalarType.Float16 : ScalarType.Float32);
        CausalLanguageModel model = new(config, 0, type, device);
        string weights = Path.Combine(directory, "model.safetensors");
        Dictionary<string, Tensor> tensors = Safetensors.Load(weights);
        try
        {
            model.LoadWeights(tensors, weights, optional: newValueHead ? "value_head." : null);
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
        foreach ((string name, Parameter p) in NamedParameters())
        {
            if (!tensors.TryGetValue(name, out Tensor? t) && optional is not null && name.StartsWith(optional, StringComparison.Ordinal))
                continue;
            if (t is null)
                throw new InvalidDataException($"{source}: missing tensor '{name}'.");
            if (!t.Shape.SequenceEqual(p.Value.Shape))
                throw new InvalidDataException($"{source}: tensor '{name}' has shape [{string.Join(", ", t.Shape)}], the model expects [{string.Join(", ", p.Value.Shape)}].");
            using DisposeScope scope = TorchRuntime.NewDisposeScope();
            p.Load(t.To(Dtype, Device));
            used.Add(name);
        }
        // Tied checkpoints may still carry lm_head.weight; rotary tables are recomputed.
        string[] unexpected = [.. tensors.Keys.Where(k => !used.Contains(k) && !(k == "lm_head.weight" && Config.TieWordEmbeddings) && !k.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal))];
        if (unexpected.Length > 0)
            throw new InvalidDataException($"{source}: tensors the model does not have: {string.Join(", ", unexpected.Take(10))}.");
    }

    /// <summary>Frees the weights.</summary>
    public new void Dispose()
    {
        _rope.Dispose();
        base.Dispose();
    }
}
