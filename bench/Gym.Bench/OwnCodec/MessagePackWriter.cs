using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Gym.Bench.OwnCodec;

/// <summary>
/// Writes MessagePack to an <see cref="IBufferWriter{T}"/>, always in the smallest format that holds the value
/// (the canonical encoding other implementations produce). Call <see cref="Flush"/> when done.
/// </summary>
public ref struct MessagePackWriter
{
    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;

    /// <summary>Creates a writer over <paramref name="output"/>.</summary>
    public MessagePackWriter(IBufferWriter<byte> output)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _span = default;
        _buffered = 0;
    }

    /// <summary>Commits the bytes written so far to the output.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
        }
        _span = default;
    }

    /// <summary>Writes nil.</summary>
    public void WriteNil() => Reserve(1)[0] = MessagePackCode.Nil;

    /// <summary>Writes a boolean.</summary>
    public void Write(bool value) => Reserve(1)[0] = value ? MessagePackCode.True : MessagePackCode.False;

    /// <summary>Writes a signed integer in the smallest format.</summary>
    public void Write(long value)
    {
        if (value >= 0)
        {
            Write((ulong)value);
            return;
        }
        if (value >= -32)
        {
            Reserve(1)[0] = unchecked((byte)value);
        }
        else if (value >= sbyte.MinValue)
        {
            Span<byte> s = Reserve(2);
            s[0] = MessagePackCode.Int8;
            s[1] = unchecked((byte)value);
        }
        else if (value >= short.MinValue)
        {
            Span<byte> s = Reserve(3);
            s[0] = MessagePackCode.Int16;
            BinaryPrimitives.WriteInt16BigEndian(s[1..], (short)value);
        }
        else if (value >= int.MinValue)
        {
            Span<byte> s = Reserve(5);
            s[0] = MessagePackCode.Int32;
            BinaryPrimitives.WriteInt32BigEndian(s[1..], (int)value);
        }
        else
        {
            Span<byte> s = Reserve(9);
            s[0] = MessagePackCode.Int64;
            BinaryPrimitives.WriteInt64BigEndian(s[1..], value);
        }
    }

    /// <summary>Writes an unsigned integer in the smallest format.</summary>
    public void Write(ulong value)
    {
        if (value <= MessagePackCode.MaxFixInt)
        {
            Reserve(1)[0] = (byte)value;
        }
        else if (value <= byte.MaxValue)
        {
            Span<byte> s = Reserve(2);
            s[0] = MessagePackCode.UInt8;
            s[1] = (byte)value;
        }
        else if (value <= ushort.MaxValue)
        {
            Span<byte> s = Reserve(3);
            s[0] = MessagePackCode.UInt16;
            BinaryPrimitives.WriteUInt16BigEndian(s[1..], (ushort)value);
        }
        else if (value <= uint.MaxValue)
        {
            Span<byte> s = Reserve(5);
            s[0] = MessagePackCode.UInt32;
            BinaryPrimitives.WriteUInt32BigEndian(s[1..], (uint)value);
        }
        else
        {
            Span<byte> s = Reserve(9);
            s[0] = MessagePackCode.UInt64;
            BinaryPrimitives.WriteUInt64BigEndian(s[1..], value);
        }
    }

    /// <summary>Writes a signed integer in the smallest format.</summary>
    public void Write(int value) => Write((long)value);

    /// <summary>Writes a float32 (NaN as the canonical quiet NaN 0x7fc00000, as other implementations do).</summary>
    public void Write(float value)
    {
        if (float.IsNaN(value))
            value = BitConverter.Int32BitsToSingle(0x7fc00000);
        Span<byte> s = Reserve(5);
        s[0] = MessagePackCode.Float32;
        BinaryPrimitives.WriteSingleBigEndian(s[1..], value);
    }

    /// <summary>Writes a float64 (NaN as the canonical quiet NaN 0x7ff8000000000000).</summary>
    public void Write(double value)
    {
        if (double.IsNaN(value))
            value = BitConverter.Int64BitsToDouble(0x7ff8000000000000);
        Span<byte> s = Reserve(9);
        s[0] = MessagePackCode.Float64;
        BinaryPrimitives.WriteDoubleBigEndian(s[1..], value);
    }

    /// <summary>Writes a string (UTF-8), or nil for null.</summary>
    public void Write(string? value)
    {
        if (value is null)
        {
            WriteNil();
            return;
        }
        // Strings up to a few KB are encoded straight into the output. The header is sized from the character
        // count, a lower bound of the UTF-8 byte count, so ASCII text never moves; other text moves only when
        // its byte count crosses a header boundary.
        if (value.Length <= 4096)
        {
            int maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
            int guessedHeader = StringHeaderSize(value.Length);
            Span<byte> s = Reserve(5 + maxBytes, commit: false);
            int length = Encoding.UTF8.GetBytes(value, s[guessedHeader..]);
            int actualHeader = StringHeaderSize(length);
            if (actualHeader != guessedHeader)
                s.Slice(guessedHeader, length).CopyTo(s[actualHeader..]);
            WriteStringHeader(s, length);
            _buffered += actualHeader + length;
            return;
        }
        int byteCount = Encoding.UTF8.GetByteCount(value);
        WriteStringHeader(byteCount);
        Span<byte> body = Reserve(byteCount, commit: false);
        Encoding.UTF8.GetBytes(value, body);
        _buffered += byteCount;
    }

    /// <summary>Writes a string given as UTF-8 bytes.</summary>
    public void WriteString(scoped ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length <= 31)
        {
            // The common case of map keys: one reservation, header and bytes together.
            Span<byte> s = Reserve(1 + utf8.Length);
            s[0] = (byte)(MessagePackCode.MinFixStr | utf8.Length);
            utf8.CopyTo(s[1..]);
            return;
        }
        WriteStringHeader(utf8.Length);
        WriteRaw(utf8);
    }

    /// <summary>Writes the header of a string of <paramref name="byteCount"/> UTF-8 bytes.</summary>
    public void WriteStringHeader(int byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        Span<byte> s = Reserve(StringHeaderSize(byteCount), commit: false);
        _buffered += WriteStringHeader(s, byteCount);
    }

    /// <summary>Writes binary data.</summary>
    public void Write(scoped ReadOnlySpan<byte> value)
    {
        int length = value.Length;
        if (length <= byte.MaxValue)
        {
            Span<byte> s = Reserve(2);
            s[0] = MessagePackCode.Bin8;
            s[1] = (byte)length;
        }
        else if (length <= ushort.MaxValue)
        {
            Span<byte> s = Reserve(3);
            s[0] = MessagePackCode.Bin16;
            BinaryPrimitives.WriteUInt16BigEndian(s[1..], (ushort)length);
        }
        else
        {
            Span<byte> s = Reserve(5);
            s[0] = MessagePackCode.Bin32;
            BinaryPrimitives.WriteUInt32BigEndian(s[1..], (uint)length);
        }
        WriteRaw(value);
    }

    /// <summary>Writes the header of an array of <paramref name="count"/> elements.</summary>
    public void WriteArrayHeader(int count) =>
        WriteContainerHeader(count, MessagePackCode.MinFixArray, MessagePackCode.Array16, MessagePackCode.Array32);

    /// <summary>Writes the header of a map of <paramref name="count"/> key/value pairs.</summary>
    public void WriteMapHeader(int count) =>
        WriteContainerHeader(count, MessagePackCode.MinFixMap, MessagePackCode.Map16, MessagePackCode.Map32);

    /// <summary>Writes an extension value (fixext for payloads of 1, 2, 4, 8 or 16 bytes).</summary>
    public void WriteExtension(sbyte typeCode, scoped ReadOnlySpan<byte> data)
    {
        int length = data.Length;
        byte fix = length switch
        {
            1 => MessagePackCode.FixExt1,
            2 => MessagePackCode.FixExt2,
            4 => MessagePackCode.FixExt4,
            8 => MessagePackCode.FixExt8,
            16 => MessagePackCode.FixExt16,
            _ => 0,
        };
        if (fix != 0)
        {
            Span<byte> s = Reserve(2);
            s[0] = fix;
            s[1] = unchecked((byte)typeCode);
        }
        else if (length <= byte.MaxValue)
        {
            Span<byte> s = Reserve(3);
            s[0] = MessagePackCode.Ext8;
            s[1] = (byte)length;
            s[2] = unchecked((byte)typeCode);
        }
        else if (length <= ushort.MaxValue)
        {
            Span<byte> s = Reserve(4);
            s[0] = MessagePackCode.Ext16;
            BinaryPrimitives.WriteUInt16BigEndian(s[1..], (ushort)length);
            s[3] = unchecked((byte)typeCode);
        }
        else
        {
            Span<byte> s = Reserve(6);
            s[0] = MessagePackCode.Ext32;
            BinaryPrimitives.WriteUInt32BigEndian(s[1..], (uint)length);
            s[5] = unchecked((byte)typeCode);
        }
        WriteRaw(data);
    }

    /// <summary>Writes a timestamp in the smallest of the three timestamp formats.</summary>
    public void Write(MessagePackTimestamp value)
    {
        if (value.Nanoseconds > 999_999_999)
            throw new ArgumentOutOfRangeException(nameof(value), "Timestamp nanoseconds must be below 1,000,000,000.");
        if (value.Seconds >= 0 && value.Seconds >> 34 == 0)
        {
            if (value.Nanoseconds == 0 && value.Seconds <= uint.MaxValue)
            {
                Span<byte> data = stackalloc byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(data, (uint)value.Seconds);
                WriteExtension(MessagePackCode.TimestampType, data);
            }
            else
            {
                Span<byte> data = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64BigEndian(data, ((ulong)value.Nanoseconds << 34) | (ulong)value.Seconds);
                WriteExtension(MessagePackCode.TimestampType, data);
            }
        }
        else
        {
            Span<byte> data = stackalloc byte[12];
            BinaryPrimitives.WriteUInt32BigEndian(data, value.Nanoseconds);
            BinaryPrimitives.WriteInt64BigEndian(data[4..], value.Seconds);
            WriteExtension(MessagePackCode.TimestampType, data);
        }
    }

    /// <summary>Copies already-encoded MessagePack bytes to the output.</summary>
    public void WriteRaw(scoped ReadOnlySpan<byte> encoded)
    {
        while (encoded.Length > 0)
        {
            int chunk = Math.Min(encoded.Length, 1 << 16);
            Span<byte> s = Reserve(chunk);
            encoded[..chunk].CopyTo(s);
            encoded = encoded[chunk..];
        }
    }

    private void WriteContainerHeader(int count, byte fixBase, byte code16, byte code32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count <= 15)
        {
            Reserve(1)[0] = (byte)(fixBase | count);
        }
        else if (count <= ushort.MaxValue)
        {
            Span<byte> s = Reserve(3);
            s[0] = code16;
            BinaryPrimitives.WriteUInt16BigEndian(s[1..], (ushort)count);
        }
        else
        {
            Span<byte> s = Reserve(5);
            s[0] = code32;
            BinaryPrimitives.WriteUInt32BigEndian(s[1..], (uint)count);
        }
    }

    private static int StringHeaderSize(int byteCount) =>
        byteCount <= 31 ? 1 : byteCount <= byte.MaxValue ? 2 : byteCount <= ushort.MaxValue ? 3 : 5;

    private static int WriteStringHeader(Span<byte> s, int byteCount)
    {
        if (byteCount <= 31)
        {
            s[0] = (byte)(MessagePackCode.MinFixStr | byteCount);
            return 1;
        }
        if (byteCount <= byte.MaxValue)
        {
            s[0] = MessagePackCode.Str8;
            s[1] = (byte)byteCount;
            return 2;
        }
        if (byteCount <= ushort.MaxValue)
        {
            s[0] = MessagePackCode.Str16;
            BinaryPrimitives.WriteUInt16BigEndian(s[1..], (ushort)byteCount);
            return 3;
        }
        s[0] = MessagePackCode.Str32;
        BinaryPrimitives.WriteUInt32BigEndian(s[1..], (uint)byteCount);
        return 5;
    }

    // Returns a span of exactly `size` bytes (or at least, when not committing) at the write position;
    // with commit the bytes count as written at once.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int size, bool commit = true)
    {
        if (_span.Length - _buffered < size)
            Grow(size);
        Span<byte> s = _span.Slice(_buffered, commit ? size : _span.Length - _buffered);
        if (commit)
            _buffered += size;
        return s;
    }

    private void Grow(int size)
    {
        Flush();
        _span = _output.GetSpan(Math.Max(size, 4096));
        if (_span.Length < size)
            throw new InvalidOperationException($"The buffer writer returned {_span.Length} bytes, fewer than the {size} requested.");
    }
}
