using System.Buffers.Binary;
using System.Numerics;
using Google.Protobuf;

namespace Gym.Trainer.Training;

/// <summary>
/// Writes TensorBoard event files (<c>events.out.tfevents.*</c>) of scalar summaries, so that <c>tensorboard
/// --logdir DIR/tb</c> charts a run. The file is a sequence of TFRecords (length, masked CRC-32C of the length,
/// payload, masked CRC-32C of the payload), each payload an <c>Event</c> protocol buffer (Google.Protobuf, messages
/// generated from <c>Protos/tensorboard_event.proto</c>); the first event names the
/// file version. Each append is flushed, so a killed run leaves whole records behind.
/// </summary>
public sealed class TensorBoardWriter : IDisposable
{
    private readonly FileStream _stream;

    /// <summary>Opens a new event file in <paramref name="directory"/> (created if needed).</summary>
    public TensorBoardWriter(string directory)
    {
        Directory.CreateDirectory(directory);
        double now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        // A new file per writer: TensorBoard merges all event files of a directory, so resumed runs simply add one.
        string name = $"events.out.tfevents.{(long)now}.{Environment.MachineName}.{Environment.ProcessId}.{Guid.NewGuid():N}";
        Path = System.IO.Path.Combine(directory, name);
        _stream = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        WriteRecord(Event(now, 0, fileVersion: "brain.Event:2", scalars: null));
    }

    /// <summary>The event file.</summary>
    public string Path { get; }

    /// <summary>Appends one event holding <paramref name="scalars"/> (tag, value) at <paramref name="step"/>.</summary>
    public void AddScalars(long step, IEnumerable<(string Tag, double Value)> scalars)
    {
        ArgumentNullException.ThrowIfNull(scalars);
        double now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        WriteRecord(Event(now, step, fileVersion: null, [.. scalars.Where(s => double.IsFinite(s.Value))]));
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();

    private void WriteRecord(byte[] payload)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc(payload));
        _stream.Write(header);
        _stream.Write(payload);
        _stream.Write(footer);
        _stream.Flush();
    }

    // The payload: an Event protocol buffer, generated from Protos/tensorboard_event.proto.
    private static byte[] Event(double wallTime, long step, string? fileVersion, (string Tag, double Value)[]? scalars)
    {
        TensorBoard.Event e = new() { WallTime = wallTime, Step = step };
        if (fileVersion is not null)
            e.FileVersion = fileVersion;
        if (scalars is not null)
        {
            e.Summary = new TensorBoard.Summary();
            e.Summary.Value.AddRange(scalars.Select(s => new TensorBoard.Summary.Types.Value { Tag = s.Tag, SimpleValue = (float)s.Value }));
        }
        return e.ToByteArray();
    }

    /// <summary>CRC-32C (Castagnoli) of <paramref name="data"/>, masked as TFRecord requires.</summary>
    internal static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
    }

    /// <summary>CRC-32C (Castagnoli) of <paramref name="data"/>.</summary>
    internal static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = ~0u;
        foreach (byte b in data)
            crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }
}
