using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Models.Transformer;

/// <summary>
/// Keys and values of shared prompts, for training: a pass over the distinct prompts records them (gradients
/// included), <see cref="Gather"/> gives each row its prompt's, and a pass over the rows' responses attends to them
/// by concatenation, so gradients flow back into the one prompt pass. A prompt that several rows share (a state
/// that recurs, the same first step in a group) is encoded once.
/// </summary>
public sealed class PrefixCache : IAttentionCache
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;
    private readonly bool _recording;

    /// <summary>An empty cache that records the keys and values of the next pass.</summary>
    public PrefixCache(int layers)
        : this(new Tensor?[layers], new Tensor?[layers], 0, recording: true)
    {
    }

    private PrefixCache(Tensor?[] keys, Tensor?[] values, int length, bool recording)
    {
        _keys = keys;
        _values = values;
        Length = length;
        _recording = recording;
    }

    /// <inheritdoc />
    public int Length { get; private set; }

    /// <summary>
    /// While recording, keeps the pass's keys and values; afterwards, returns the prefix's followed by the pass's
    /// (without keeping them: each gathered cache serves one pass).
    /// </summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        if (_recording)
        {
            _keys[layer] = keys;
            _values[layer] = values;
            return (keys, values);
        }
        return (cat([_keys[layer]!, keys], 2), cat([_values[layer]!, values], 2));
    }

    /// <inheritdoc />
    public void Advance(int added)
    {
        if (_recording)
            Length += added;
    }

    /// <summary>The recorded prefixes of <paramref name="rows"/> (indices into the recorded batch), one per row.</summary>
    public PrefixCache Gather(Tensor rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!_recording || _keys.Any(k => k is null))
            throw new InvalidOperationException("Only a cache that recorded a whole pass can be gathered from.");
        return new PrefixCache([.. _keys.Select(k => k!.index_select(0, rows))], [.. _values.Select(v => v!.index_select(0, rows))], Length, recording: false);
    }
}
