using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Models.Transformer;

/// <summary>Keys and values of past positions that attention covers beside a forward pass's own tokens.</summary>
public interface IAttentionCache
{
    /// <summary>Positions held (before this pass's tokens, until <see cref="Advance"/>).</summary>
    int Length { get; }

    /// <summary>Adds a layer's keys and values [batch, kv_heads, new, head_dim] after the held ones and returns all of them.</summary>
    (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values);

    /// <summary>Marks <paramref name="added"/> more positions as held (after every layer appended them).</summary>
    void Advance(int added);
}

/// <summary>
/// Keys and values of past positions for incremental decoding: one preallocated buffer per layer,
/// [batch, kv_heads, capacity, head_dim], written in place as tokens are decoded.
/// </summary>
public sealed class KvCache : IDisposable, IAttentionCache
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    /// <summary>Allocates a cache for <paramref name="batch"/> sequences of up to <paramref name="capacity"/> positions.</summary>
    public KvCache(ModelConfig config, int batch, int capacity, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        Capacity = capacity;
        _keys = new Tensor[config.NumHiddenLayers];
        _values = new Tensor[config.NumHiddenLayers];
        for (int i = 0; i < config.NumHiddenLayers; i++)
        {
            _keys[i] = zeros([batch, config.NumKeyValueHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
            _values[i] = zeros([batch, config.NumKeyValueHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
        }
    }

    /// <summary>Positions the cache can hold.</summary>
    public int Capacity { get; }

    /// <summary>Positions written so far.</summary>
    public int Length { get; private set; }

    /// <summary>Writes a layer's new keys and values [batch, kv_heads, new, head_dim] after the cached ones and returns all of them.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        long added = keys.size(2);
        if (Length + added > Capacity)
            throw new InvalidOperationException($"The KV cache holds {Capacity} positions; {Length + added} are needed.");
        _keys[layer].narrow(2, Length, added).copy_(keys);
        _values[layer].narrow(2, Length, added).copy_(values);
        return (_keys[layer].narrow(2, 0, Length + added), _values[layer].narrow(2, 0, Length + added));
    }

    /// <summary>Marks <paramref name="added"/> more positions as written (after every layer appended them).</summary>
    public void Advance(int added) => Length += added;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Tensor t in _keys)
            t.Dispose();
        foreach (Tensor t in _values)
            t.Dispose();
    }
}
