namespace Gym.Bench.OwnCodec;

/// <summary>Malformed, truncated or unexpected MessagePack input; <see cref="Offset"/> says where.</summary>
public sealed class MessagePackFormatException(string message, long offset, Exception? inner = null)
    : Exception($"{message} (at byte offset {offset})", inner)
{
    /// <summary>The byte offset, from the start of the input, where the problem was found.</summary>
    public long Offset { get; } = offset;
}
