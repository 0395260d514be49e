using System.Buffers;
using System.Buffers.Binary;
using System.Collections;
using System.Text;
using MessagePack;

namespace Gym.Core.MessagePack;

/// <summary>An ordered MessagePack map whose keys may be of any type (duplicates are kept as read).</summary>
public sealed class MessagePackMap : List<KeyValuePair<object?, object?>>
{
    /// <summary>Creates an empty map with room for <paramref name="capacity"/> pairs.</summary>
    public MessagePackMap(int capacity = 0)
        : base(capacity)
    {
    }

    /// <summary>The value of the first pair whose key is the string <paramref name="key"/>.</summary>
    public bool TryGetValue(string key, out object? value)
    {
        foreach (KeyValuePair<object?, object?> pair in this)
        {
            if (pair.Key is string s && s == key)
            {
                value = pair.Value;
                return true;
            }
        }
        value = null;
        return false;
    }
}

/// <summary>
/// Free-form MessagePack values (step extras, tools that inspect files) as plain .NET values: null, bool, long
/// (ulong above long.MaxValue), float, double, string, byte[], object?[] (arrays), <see cref="MessagePackMap"/>,
/// <see cref="MessagePackTimestamp"/> and <see cref="MessagePackExtension"/>, read and written through
/// MessagePack-CSharp's reader and writer. The library's own object formatter is not used because it narrows
/// integers to the smallest .NET type, loses map order and duplicate keys, and turns timestamps outside
/// <see cref="DateTime"/>'s range into errors. Errors are <see cref="MessagePackSerializationException"/>s.
/// </summary>
public static class MessagePackObjects
{
    /// <summary>The deepest nesting that reading accepts before it reports corrupt input.</summary>
    public const int MaxDepth = 512;

    /// <summary>The extension type code of timestamps.</summary>
    public const sbyte TimestampType = -1;

    // Strings must be valid UTF-8: a replacement character would silently change the data.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads one value; corrupt or truncated input is a <see cref="MessagePackSerializationException"/>.</summary>
    public static object? Read(ref MessagePackReader reader)
    {
        long start = reader.Consumed;
        try
        {
            return Read(ref reader, 0);
        }
        catch (Exception e) when (IsCorruptInput(e))
        {
            throw Corrupt(e, reader.Consumed - start);
        }
    }

    /// <summary>
    /// Whether an exception from MessagePack-CSharp's reader means the input is corrupt: it reports truncation as
    /// <see cref="EndOfStreamException"/>, out-of-range numbers as <see cref="OverflowException"/> and lengths past
    /// the input as <see cref="ArgumentOutOfRangeException"/>, besides its own serialization exception.
    /// </summary>
    public static bool IsCorruptInput(Exception e) =>
        e is EndOfStreamException or OverflowException or ArgumentOutOfRangeException or InvalidOperationException;

    /// <summary>One exception type for corrupt input, saying at which byte reading stopped.</summary>
    public static MessagePackSerializationException Corrupt(Exception e, long offset) =>
        new($"Corrupt MessagePack at byte {offset}: {e.Message}", e);

    private static object? Read(ref MessagePackReader reader, int depth)
    {
        if (depth > MaxDepth)
            throw Error($"Nesting deeper than {MaxDepth} levels", reader.Consumed);
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePackType.Boolean:
                return reader.ReadBoolean();
            case MessagePackType.Integer:
                if (reader.NextCode != MessagePackCode.UInt64)
                    return reader.ReadInt64();
                ulong u = reader.ReadUInt64();
                return u > long.MaxValue ? (object)u : (long)u;
            case MessagePackType.Float:
                return reader.NextCode == MessagePackCode.Float32 ? (object)reader.ReadSingle() : reader.ReadDouble();
            case MessagePackType.String:
                long at = reader.Consumed;
                ReadOnlySequence<byte> utf8 = reader.ReadStringSequence()!.Value;
                try
                {
                    return StrictUtf8.GetString(utf8);
                }
                catch (DecoderFallbackException e)
                {
                    throw new MessagePackSerializationException($"The string at byte {at} is not valid UTF-8", e);
                }
            case MessagePackType.Binary:
                return reader.ReadBytes()!.Value.ToArray();
            case MessagePackType.Array:
                int count = reader.ReadArrayHeader();
                object?[] array = new object?[count];
                for (int i = 0; i < count; i++)
                    array[i] = Read(ref reader, depth + 1);
                return array;
            case MessagePackType.Map:
                int pairs = reader.ReadMapHeader();
                MessagePackMap map = new(pairs);
                for (int i = 0; i < pairs; i++)
                {
                    object? key = Read(ref reader, depth + 1);
                    map.Add(new KeyValuePair<object?, object?>(key, Read(ref reader, depth + 1)));
                }
                return map;
            case MessagePackType.Extension:
                long start = reader.Consumed;
                ExtensionResult ext = reader.ReadExtensionFormat();
                byte[] data = ext.Data.ToArray();
                return ext.TypeCode == TimestampType ? DecodeTimestamp(data, start) : new MessagePackExtension(ext.TypeCode, data);
            default:
                throw Error($"Found the never-used format byte 0x{reader.NextCode:x2}", reader.Consumed);
        }
    }

    /// <summary>
    /// Skips the next value however deeply it nests, without recursion: the library's Skip recurses into arrays and
    /// maps, so a hostile input nested a hundred thousand levels deep would overflow the stack.
    /// </summary>
    public static void Skip(ref MessagePackReader reader)
    {
        long pending = 1;
        while (pending-- > 0)
        {
            switch (reader.NextMessagePackType)
            {
                case MessagePackType.Array:
                    pending += reader.ReadArrayHeader();
                    break;
                case MessagePackType.Map:
                    pending += 2L * reader.ReadMapHeader();
                    break;
                case MessagePackType.Unknown:
                    throw Error($"Found the never-used format byte 0x{reader.NextCode:x2}", reader.Consumed);
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    // .NET's NaN has the sign bit set; Python's msgpack and @msgpack/msgpack write the positive quiet NaN.
    private static readonly float CanonicalNaN32 = BitConverter.Int32BitsToSingle(0x7fc00000);
    private static readonly double CanonicalNaN64 = BitConverter.Int64BitsToDouble(0x7ff8000000000000);

    /// <summary>Writes one value of a supported type; anything else is an <see cref="ArgumentException"/>.</summary>
    public static void Write(ref MessagePackWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNil(); break;
            case bool b: writer.Write(b); break;
            case sbyte v: writer.Write((long)v); break;
            case byte v: writer.Write((ulong)v); break;
            case short v: writer.Write((long)v); break;
            case ushort v: writer.Write((ulong)v); break;
            case int v: writer.Write((long)v); break;
            case uint v: writer.Write((ulong)v); break;
            case long v: writer.Write(v); break;
            case ulong v: writer.Write(v); break;
            case float v: writer.Write(float.IsNaN(v) ? CanonicalNaN32 : v); break;
            case double v: writer.Write(double.IsNaN(v) ? CanonicalNaN64 : v); break;
            case decimal v: writer.Write((double)v); break;
            case string s: writer.Write(s); break;
            case byte[] bytes: writer.Write(bytes.AsSpan()); break;
            case ReadOnlyMemory<byte> memory: writer.Write(memory.Span); break;
            case MessagePackTimestamp ts: WriteTimestamp(ref writer, ts); break;
            case DateTimeOffset dto: writer.Write(dto.UtcDateTime); break;
            case TimeSpan span: writer.Write(span.TotalSeconds); break;
            case MessagePackExtension ext:
                writer.WriteExtensionFormatHeader(new ExtensionHeader(ext.TypeCode, ext.Data.Length));
                writer.WriteRaw(ext.Data);
                break;
            case MessagePackMap map:
                writer.WriteMapHeader(map.Count);
                foreach (KeyValuePair<object?, object?> pair in map)
                {
                    Write(ref writer, pair.Key);
                    Write(ref writer, pair.Value);
                }
                break;
            case IReadOnlyDictionary<string, object?> dict:
                writer.WriteMapHeader(dict.Count);
                foreach (KeyValuePair<string, object?> pair in dict)
                {
                    writer.Write(pair.Key);
                    Write(ref writer, pair.Value);
                }
                break;
            case IDictionary dictionary:
                writer.WriteMapHeader(dictionary.Count);
                foreach (DictionaryEntry entry in dictionary)
                {
                    Write(ref writer, entry.Key);
                    Write(ref writer, entry.Value);
                }
                break;
            case ICollection collection:
                writer.WriteArrayHeader(collection.Count);
                foreach (object? item in collection)
                    Write(ref writer, item);
                break;
            case IEnumerable enumerable:
                List<object?> items = [.. enumerable.Cast<object?>()];
                writer.WriteArrayHeader(items.Count);
                foreach (object? item in items)
                    Write(ref writer, item);
                break;
            default:
                throw new ArgumentException($"Cannot write a value of type {value.GetType().FullName} as MessagePack.", nameof(value));
        }
    }

    // A timestamp of any range (the library's DateTime methods stop at DateTime's), in the smallest of its formats.
    private static void WriteTimestamp(ref MessagePackWriter writer, MessagePackTimestamp value)
    {
        if (value.Nanoseconds > 999_999_999)
            throw new ArgumentOutOfRangeException(nameof(value), "Timestamp nanoseconds must be below 1,000,000,000.");
        byte[] data = new byte[12];   // the library's WriteRaw does not take a stack span
        int length;
        if (value.Seconds >= 0 && value.Seconds >> 34 == 0 && (value.Nanoseconds != 0 || value.Seconds > uint.MaxValue))
        {
            BinaryPrimitives.WriteUInt64BigEndian(data, ((ulong)value.Nanoseconds << 34) | (ulong)value.Seconds);
            length = 8;
        }
        else if (value.Seconds >= 0 && value.Seconds <= uint.MaxValue)
        {
            BinaryPrimitives.WriteUInt32BigEndian(data, (uint)value.Seconds);
            length = 4;
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(data, value.Nanoseconds);
            BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(4), value.Seconds);
            length = 12;
        }
        writer.WriteExtensionFormatHeader(new ExtensionHeader(TimestampType, length));
        writer.WriteRaw(data.AsSpan(0, length));
    }

    private static MessagePackTimestamp DecodeTimestamp(ReadOnlySpan<byte> data, long offset)
    {
        switch (data.Length)
        {
            case 4:
                return new MessagePackTimestamp(BinaryPrimitives.ReadUInt32BigEndian(data), 0);
            case 8:
                ulong packed = BinaryPrimitives.ReadUInt64BigEndian(data);
                return new MessagePackTimestamp((long)(packed & 0x3_ffff_ffffUL), Nanoseconds((uint)(packed >> 34), offset));
            case 12:
                return new MessagePackTimestamp(BinaryPrimitives.ReadInt64BigEndian(data[4..]), Nanoseconds(BinaryPrimitives.ReadUInt32BigEndian(data), offset));
            default:
                throw Error($"A timestamp must have 4, 8 or 12 bytes, not {data.Length}", offset);
        }
    }

    private static uint Nanoseconds(uint value, long offset) =>
        value <= 999_999_999 ? value : throw Error($"A timestamp has {value} nanoseconds (at most 999,999,999)", offset);

    private static MessagePackSerializationException Error(string what, long offset) => new($"{what} (at byte {offset})");
}
