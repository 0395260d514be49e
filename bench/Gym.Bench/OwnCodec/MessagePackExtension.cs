namespace Gym.Bench.OwnCodec;

/// <summary>An extension value: an application type code and its payload.</summary>
/// <param name="TypeCode">The type code (-128..127; negative codes are reserved by the specification).</param>
/// <param name="Data">The payload.</param>
public sealed record MessagePackExtension(sbyte TypeCode, byte[] Data)
{
    /// <inheritdoc />
    public bool Equals(MessagePackExtension? other) =>
        other is not null && TypeCode == other.TypeCode && Data.AsSpan().SequenceEqual(other.Data);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(TypeCode, Data.Length);
}

/// <summary>The timestamp extension (type -1): seconds since the Unix epoch and nanoseconds.</summary>
/// <param name="Seconds">Seconds since 1970-01-01T00:00:00Z (may be negative).</param>
/// <param name="Nanoseconds">Nanoseconds, 0..999,999,999.</param>
public readonly record struct MessagePackTimestamp(long Seconds, uint Nanoseconds)
{
    /// <summary>Converts a <see cref="DateTimeOffset"/> (100 ns resolution).</summary>
    public static MessagePackTimestamp FromDateTimeOffset(DateTimeOffset value)
    {
        long ticks = value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rest);
        if (rest < 0)
        {
            seconds--;
            rest += TimeSpan.TicksPerSecond;
        }
        return new MessagePackTimestamp(seconds, (uint)(rest * 100));
    }

    /// <summary>Converts to a <see cref="DateTimeOffset"/> (nanoseconds are rounded down to 100 ns).</summary>
    public DateTimeOffset ToDateTimeOffset() =>
        DateTimeOffset.UnixEpoch.AddTicks(checked(Seconds * TimeSpan.TicksPerSecond + Nanoseconds / 100));
}
