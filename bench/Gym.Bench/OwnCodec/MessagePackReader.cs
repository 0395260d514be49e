using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Gym.Bench.OwnCodec;

/// <summary>
/// Reads MessagePack from a <see cref="ReadOnlySequence{T}"/>. Every read checks its input: a wrong type, a
/// truncated value or a length larger than what remains raises <see cref="MessagePackFormatException"/> with the
/// offset, before anything is allocated, so corrupt input can never cause a huge allocation or a hang.
/// </summary>
public ref struct MessagePackReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private SequenceReader<byte> _reader;
    private readonly long _baseOffset;

    /// <summary>Creates a reader; <paramref name="baseOffset"/> is added to offsets in error messages.</summary>
    public MessagePackReader(ReadOnlySequence<byte> input, long baseOffset = 0)
    {
        _reader = new SequenceReader<byte>(input);
        _baseOffset = baseOffset;
    }

    /// <summary>Creates a reader over contiguous memory.</summary>
    public MessagePackReader(ReadOnlyMemory<byte> input, long baseOffset = 0)
        : this(new ReadOnlySequence<byte>(input), baseOffset)
    {
    }

    /// <summary>The offset of the next byte to read, from the start of the input.</summary>
    public readonly long Offset => _baseOffset + _reader.Consumed;

    /// <summary>True when all input has been read.</summary>
    public readonly bool End => _reader.End;

    /// <summary>The bytes not read yet.</summary>
    public readonly long Remaining => _reader.Remaining;

    /// <summary>The type of the next value.</summary>
    public readonly MessagePackType NextType
    {
        get
        {
            if (!_reader.TryPeek(out byte code))
                throw new MessagePackFormatException("Unexpected end of input: expected a value", Offset);
            return MessagePackCode.TypeOf(code);
        }
    }

    /// <summary>The next format byte, without consuming it.</summary>
    internal readonly byte PeekCode()
    {
        if (!_reader.TryPeek(out byte code))
            throw new MessagePackFormatException("Unexpected end of input: expected a value", Offset);
        return code;
    }

    /// <summary>Reads nil if it is next, and says whether it was.</summary>
    public bool TryReadNil()
    {
        if (_reader.TryPeek(out byte code) && code == MessagePackCode.Nil)
        {
            _reader.Advance(1);
            return true;
        }
        return false;
    }

    /// <summary>Reads nil.</summary>
    public void ReadNil()
    {
        byte code = ReadCode("nil");
        if (code != MessagePackCode.Nil)
            throw Unexpected("nil", code);
    }

    /// <summary>Reads a boolean.</summary>
    public bool ReadBoolean()
    {
        byte code = ReadCode("a boolean");
        return code switch
        {
            MessagePackCode.True => true,
            MessagePackCode.False => false,
            _ => throw Unexpected("a boolean", code),
        };
    }

    /// <summary>Reads an integer of any width that fits in a <see cref="long"/>.</summary>
    public long ReadInt64()
    {
        byte code = ReadCode("an integer");
        if (code <= MessagePackCode.MaxFixInt)
            return code;
        if (code >= MessagePackCode.MinNegativeFixInt)
            return unchecked((sbyte)code);
        switch (code)
        {
            case MessagePackCode.UInt8: return ReadByteValue();
            case MessagePackCode.UInt16: return BinaryPrimitives.ReadUInt16BigEndian(ReadFixed(2));
            case MessagePackCode.UInt32: return BinaryPrimitives.ReadUInt32BigEndian(ReadFixed(4));
            case MessagePackCode.UInt64:
                ulong u = BinaryPrimitives.ReadUInt64BigEndian(ReadFixed(8));
                if (u > long.MaxValue)
                    throw new MessagePackFormatException($"The uint64 {u} does not fit in a signed 64-bit integer", Offset - 9);
                return (long)u;
            case MessagePackCode.Int8: return unchecked((sbyte)ReadByteValue());
            case MessagePackCode.Int16: return BinaryPrimitives.ReadInt16BigEndian(ReadFixed(2));
            case MessagePackCode.Int32: return BinaryPrimitives.ReadInt32BigEndian(ReadFixed(4));
            case MessagePackCode.Int64: return BinaryPrimitives.ReadInt64BigEndian(ReadFixed(8));
            default: throw Unexpected("an integer", code);
        }
    }

    /// <summary>Reads a non-negative integer of any width.</summary>
    public ulong ReadUInt64()
    {
        if (_reader.TryPeek(out byte code) && code == MessagePackCode.UInt64)
        {
            _reader.Advance(1);
            return BinaryPrimitives.ReadUInt64BigEndian(ReadFixed(8));
        }
        long start = Offset;
        long value = ReadInt64();
        if (value < 0)
            throw new MessagePackFormatException($"Expected a non-negative integer but found {value}", start);
        return (ulong)value;
    }

    /// <summary>Reads an integer that fits in an <see cref="int"/>.</summary>
    public int ReadInt32()
    {
        long start = Offset;
        long value = ReadInt64();
        if (value is < int.MinValue or > int.MaxValue)
            throw new MessagePackFormatException($"The integer {value} does not fit in a 32-bit integer", start);
        return (int)value;
    }

    /// <summary>Reads a float64, a float32, or an integer, as a double.</summary>
    public double ReadDouble()
    {
        if (!_reader.TryPeek(out byte code))
            throw new MessagePackFormatException("Unexpected end of input: expected a number", Offset);
        switch (code)
        {
            case MessagePackCode.Float64:
                _reader.Advance(1);
                return BinaryPrimitives.ReadDoubleBigEndian(ReadFixed(8));
            case MessagePackCode.Float32:
                _reader.Advance(1);
                return BinaryPrimitives.ReadSingleBigEndian(ReadFixed(4));
            case MessagePackCode.UInt64:
                return ReadUInt64();
            default:
                if (MessagePackCode.TypeOf(code) != MessagePackType.Integer)
                {
                    _reader.Advance(1);
                    throw Unexpected("a number", code);
                }
                return ReadInt64();
        }
    }

    /// <summary>Reads a float32 (or a float64, narrowed).</summary>
    public float ReadSingle()
    {
        if (_reader.TryPeek(out byte code) && code == MessagePackCode.Float32)
        {
            _reader.Advance(1);
            return BinaryPrimitives.ReadSingleBigEndian(ReadFixed(4));
        }
        return (float)ReadDouble();
    }

    /// <summary>Reads a string, or null for nil.</summary>
    public string? ReadString()
    {
        if (TryReadNil())
            return null;
        long start = Offset;
        int length = ReadStringHeader();
        ReadOnlySpan<byte> unread = _reader.UnreadSpan;
        try
        {
            if (unread.Length >= length)
            {
                string s = StrictUtf8.GetString(unread[..length]);
                _reader.Advance(length);
                return s;
            }
            byte[] rented = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                _reader.TryCopyTo(rented.AsSpan(0, length));
                _reader.Advance(length);
                return StrictUtf8.GetString(rented, 0, length);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
        catch (DecoderFallbackException e)
        {
            throw new MessagePackFormatException("A string is not valid UTF-8", start, e);
        }
    }

    /// <summary>Reads a string header and returns its byte length (checked against the remaining input).</summary>
    public int ReadStringHeader()
    {
        byte code = ReadCode("a string");
        int length;
        if (code is >= MessagePackCode.MinFixStr and <= MessagePackCode.MaxFixStr)
            length = code & 0x1f;
        else
        {
            length = code switch
            {
                MessagePackCode.Str8 => ReadByteValue(),
                MessagePackCode.Str16 => BinaryPrimitives.ReadUInt16BigEndian(ReadFixed(2)),
                MessagePackCode.Str32 => CheckedLength(BinaryPrimitives.ReadUInt32BigEndian(ReadFixed(4))),
                _ => throw Unexpected("a string", code),
            };
        }
        EnsureRemaining(length, "string");
        return length;
    }

    /// <summary>Reads the raw UTF-8 bytes of a string without decoding them.</summary>
    public ReadOnlySequence<byte> ReadStringBytes()
    {
        int length = ReadStringHeader();
        return ReadSlice(length);
    }

    /// <summary>Reads binary data, or null for nil. The result is a slice of the input (no copy).</summary>
    public ReadOnlySequence<byte>? ReadBinary()
    {
        if (TryReadNil())
            return null;
        byte code = ReadCode("binary data");
        int length = code switch
        {
            MessagePackCode.Bin8 => ReadByteValue(),
            MessagePackCode.Bin16 => BinaryPrimitives.ReadUInt16BigEndian(ReadFixed(2)),
            MessagePackCode.Bin32 => CheckedLength(BinaryPrimitives.ReadUInt32BigEndian(ReadFixed(4))),
            _ => throw Unexpected("binary data", code),
        };
        EnsureRemaining(length, "binary");
        return ReadSlice(length);
    }

    /// <summary>Reads an array header and returns the element count (checked against the remaining input).</summary>
    public int ReadArrayHeader()
    {
        byte code = ReadCode("an array");
        int count;
        if (code is >= MessagePackCode.MinFixArray and <= MessagePackCode.MaxFixArray)
            count = code & 0x0f;
        else
        {
            count = code switch
            {
                MessagePackCode.Array16 => BinaryPrimitives.ReadUInt16BigEndian(ReadFixed(2)),
                MessagePackCode.Array32 => CheckedLength(BinaryPrimitives.ReadUInt32BigEndian(ReadFixed(4))),
                _ => throw Unexpected("an array", code),
            };
        }
        // Every element takes at least one byte: a count beyond what remains is corrupt.
        EnsureRemaining(count, "array");
        return count;
    }

    /// <summary>Reads a map header and returns the pair count (checked against the remaining input).</summary>
    public int ReadMapHeader()
    {
        byte code = ReadCode("a map");
        int count;
        if (code is >= MessagePackCode.MinFixMap and <= MessagePackCode.MaxFixMap)
            count = code & 0x0f;
        else
        {
            count = code switch
            {
                MessagePackCode.Map16 => BinaryPrimitives.ReadUInt16BigEndian(ReadFixed(2)),
                MessagePackCode.Map32 => CheckedLength(BinaryPrimitives.ReadUInt32BigEndian(ReadFixed(4))),
                _ => throw Unexpected("a map", code),
            };
        }
        EnsureRemaining(2L * count, "map");
        return count;
    }

    /// <summary>Reads an extension header: its type code and payload length.</summary>
    public (sbyte TypeCode, int Length) ReadExtensionHeader()
    {
        byte code = ReadCode("an extension");
        int length = code switch
        {
            MessagePackCode.FixExt1 => 1,
            MessagePackCode.FixExt2 => 2,
            MessagePackCode.FixExt4 => 4,
            MessagePackCode.FixExt8 => 8,
            MessagePackCode.FixExt16 => 16,
            MessagePackCode.Ext8 => ReadByteValue(),
            MessagePackCode.Ext16 => BinaryPrimitives.ReadUInt16BigEndian(ReadFixed(2)),
            MessagePackCode.Ext32 => CheckedLength(BinaryPrimitives.ReadUInt32BigEndian(ReadFixed(4))),
            _ => throw Unexpected("an extension", code),
        };
        sbyte type = unchecked((sbyte)ReadByteValue());
        EnsureRemaining(length, "extension");
        return (type, length);
    }

    /// <summary>Reads an extension value (timestamps too, as raw extensions).</summary>
    public MessagePackExtension ReadExtension()
    {
        (sbyte type, int length) = ReadExtensionHeader();
        return new MessagePackExtension(type, ReadSlice(length).ToArray());
    }

    /// <summary>Reads a timestamp in any of its three formats.</summary>
    public MessagePackTimestamp ReadTimestamp()
    {
        long start = Offset;
        (sbyte type, int length) = ReadExtensionHeader();
        if (type != MessagePackCode.TimestampType)
            throw new MessagePackFormatException($"Expected a timestamp (extension type -1) but found extension type {type}", start);
        return DecodeTimestamp(ReadFixed(length), start);
    }

    /// <summary>Decodes the payload of a timestamp extension.</summary>
    internal static MessagePackTimestamp DecodeTimestamp(ReadOnlySpan<byte> data, long offset)
    {
        switch (data.Length)
        {
            case 4:
                return new MessagePackTimestamp(BinaryPrimitives.ReadUInt32BigEndian(data), 0);
            case 8:
                ulong packed = BinaryPrimitives.ReadUInt64BigEndian(data);
                uint ns64 = (uint)(packed >> 34);
                if (ns64 > 999_999_999)
                    throw new MessagePackFormatException($"A timestamp has {ns64} nanoseconds (at most 999,999,999)", offset);
                return new MessagePackTimestamp((long)(packed & 0x3_ffff_ffffUL), ns64);
            case 12:
                uint ns96 = BinaryPrimitives.ReadUInt32BigEndian(data);
                if (ns96 > 999_999_999)
                    throw new MessagePackFormatException($"A timestamp has {ns96} nanoseconds (at most 999,999,999)", offset);
                return new MessagePackTimestamp(BinaryPrimitives.ReadInt64BigEndian(data[4..]), ns96);
            default:
                throw new MessagePackFormatException($"A timestamp must have 4, 8 or 12 bytes, not {data.Length}", offset);
        }
    }

    /// <summary>Skips the next value, however deeply nested, without recursion or allocation.</summary>
    public void Skip()
    {
        long pending = 1;
        while (pending > 0)
        {
            pending--;
            byte code = ReadCode("a value");
            switch (MessagePackCode.TypeOf(code))
            {
                case MessagePackType.Nil:
                case MessagePackType.Boolean:
                    break;
                case MessagePackType.Integer:
                    Advance(code switch
                    {
                        MessagePackCode.UInt8 or MessagePackCode.Int8 => 1,
                        MessagePackCode.UInt16 or MessagePackCode.Int16 => 2,
                        MessagePackCode.UInt32 or MessagePackCode.Int32 => 4,
                        MessagePackCode.UInt64 or MessagePackCode.Int64 => 8,
                        _ => 0,
                    });
                    break;
                case MessagePackType.Float:
                    Advance(code == MessagePackCode.Float32 ? 4 : 8);
                    break;
                case MessagePackType.String:
                    _reader.Rewind(1);
                    Advance(ReadStringHeader());
                    break;
                case MessagePackType.Binary:
                    _reader.Rewind(1);
                    ReadBinary();
                    break;
                case MessagePackType.Extension:
                    _reader.Rewind(1);
                    Advance(ReadExtensionHeader().Length);
                    break;
                case MessagePackType.Array:
                    _reader.Rewind(1);
                    pending += ReadArrayHeader();
                    break;
                case MessagePackType.Map:
                    _reader.Rewind(1);
                    pending += 2L * ReadMapHeader();
                    break;
                default:
                    throw Unexpected("a value", code);
            }
        }
    }

    /// <summary>Reads the next value's encoded bytes without decoding them.</summary>
    public ReadOnlySequence<byte> ReadRaw()
    {
        SequencePosition start = _reader.Position;
        Skip();
        return _reader.Sequence.Slice(start, _reader.Position);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte ReadCode(string expected)
    {
        if (!_reader.TryRead(out byte code))
            throw new MessagePackFormatException($"Unexpected end of input: expected {expected}", Offset);
        return code;
    }

    private byte ReadByteValue()
    {
        if (!_reader.TryRead(out byte value))
            throw new MessagePackFormatException("Unexpected end of input inside a value", Offset);
        return value;
    }

    // Returns the next `length` bytes (a small fixed-size field) and advances past them.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> ReadFixed(int length)
    {
        ReadOnlySpan<byte> unread = _reader.UnreadSpan;
        if (unread.Length >= length)
        {
            _reader.Advance(length);
            return unread[..length];
        }
        return ReadFixedSlow(length);
    }

    private ReadOnlySpan<byte> ReadFixedSlow(int length)
    {
        byte[] copy = new byte[length];
        if (!_reader.TryCopyTo(copy))
            throw new MessagePackFormatException($"Unexpected end of input: needed {length} bytes, {_reader.Remaining} remain", Offset);
        _reader.Advance(length);
        return copy;
    }

    private ReadOnlySequence<byte> ReadSlice(int length)
    {
        ReadOnlySequence<byte> slice = _reader.Sequence.Slice(_reader.Position, length);
        _reader.Advance(length);
        return slice;
    }

    private void Advance(long count)
    {
        EnsureRemaining(count, "value");
        _reader.Advance(count);
    }

    private readonly void EnsureRemaining(long count, string what)
    {
        if (_reader.Remaining < count)
            throw new MessagePackFormatException($"Truncated or corrupt {what}: it declares {count} bytes or elements but only {_reader.Remaining} bytes remain", Offset);
    }

    private readonly int CheckedLength(uint length)
    {
        if (length > int.MaxValue)
            throw new MessagePackFormatException($"A length of {length} exceeds the 2 GiB this reader supports", Offset);
        return (int)length;
    }

    private readonly MessagePackFormatException Unexpected(string expected, byte code) =>
        new($"Expected {expected} but found {MessagePackCode.Name(code)} (0x{code:x2})", Offset - 1);
}
