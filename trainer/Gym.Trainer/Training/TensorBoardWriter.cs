using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Gym.Trainer.Training;

/// <summary>
/// Writes TensorBoard event files (<c>events.out.tfevents.*</c>) of scalar summaries, so that <c>tensorboard
/// --logdir DIR/tb</c> charts a run. The file is a sequence of TFRecords (length, masked CRC-32C of the length,
/// payload, masked CRC-32C of the payload), each payload an <c>Event</c> protocol buffer; the first event names the
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

    // Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
    // Summary { repeated Value value = 1; }  Value { string tag = 1; float simple_value = 2; }
    private static byte[] Event(double wallTime, long step, string? fileVersion, (string Tag, double Value)[]? scalars)
    {
        using MemoryStream e = new();
        e.WriteByte(0x09);
        WriteFixed64(e, BitConverter.DoubleToUInt64Bits(wallTime));
        e.WriteByte(0x10);
        WriteVarint(e, (ulong)step);
        if (fileVersion is not null)
            WriteBytes(e, 0x1A, Encoding.UTF8.GetBytes(fileVersion));
        if (scalars is not null)
        {
            using MemoryStream summary = new();
            Span<byte> f = stackalloc byte[4];
            foreach ((string tag, double value) in scalars)
            {
                using MemoryStream v = new();
                WriteBytes(v, 0x0A, Encoding.UTF8.GetBytes(tag));
                v.WriteByte(0x15);
                BinaryPrimitives.WriteSingleLittleEndian(f, (float)value);
                v.Write(f);
                WriteBytes(summary, 0x0A, v.ToArray());
            }
            WriteBytes(e, 0x2A, summary.ToArray());
        }
        return e.ToArray();
    }

    private static void WriteBytes(MemoryStream s, byte key, byte[] bytes)
    {
        s.WriteByte(key);
        WriteVarint(s, (ulong)bytes.Length);
        s.Write(bytes);
    }

    private static void WriteVarint(MemoryStream s, ulong value)
    {
        while (value >= 0x80)
        {
            s.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        s.WriteByte((byte)value);
    }

    private static void WriteFixed64(MemoryStream s, ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        s.Write(b);
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
