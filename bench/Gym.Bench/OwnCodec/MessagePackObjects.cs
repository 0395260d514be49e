using System.Buffers;
using System.Collections;

namespace Gym.Bench.OwnCodec;

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
/// Reads and writes MessagePack as plain .NET values: null, bool, long (ulong above long.MaxValue), float,
/// double, string, byte[], object?[] (arrays), <see cref="MessagePackMap"/>, <see cref="MessagePackTimestamp"/>
/// and <see cref="MessagePackExtension"/>. Used for free-form fields and by tools that inspect files.
/// </summary>
public static class MessagePackObjects
{
    /// <summary>The deepest nesting that reading accepts before it reports corrupt input.</summary>
    public const int MaxDepth = 512;

    /// <summary>Reads one value.</summary>
    public static object? Read(ref MessagePackReader reader) => Read(ref reader, 0);

    private static object? Read(ref MessagePackReader reader, int depth)
    {
        if (depth > MaxDepth)
            throw new MessagePackFormatException($"Nesting deeper than {MaxDepth} levels", reader.Offset);
        switch (reader.NextType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePackType.Boolean:
                return reader.ReadBoolean();
            case MessagePackType.Integer:
                if (reader.PeekCode() != MessagePackCode.UInt64)
                    return reader.ReadInt64();
                ulong u = reader.ReadUInt64();
                return u > long.MaxValue ? (object)u : (long)u;
            case MessagePackType.Float:
                return reader.PeekCode() == MessagePackCode.Float32 ? (object)reader.ReadSingle() : reader.ReadDouble();
            case MessagePackType.String:
                return reader.ReadString();
            case MessagePackType.Binary:
                return reader.ReadBinary()!.Value.ToArray();
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
                long start = reader.Offset;
                MessagePackExtension ext = reader.ReadExtension();
                return ext.TypeCode == MessagePackCode.TimestampType ? MessagePackReader.DecodeTimestamp(ext.Data, start) : ext;
            default:
                throw new MessagePackFormatException($"Found the never-used format byte 0x{reader.PeekCode():x2}", reader.Offset);
        }
    }

    /// <summary>Writes one value of a supported type; anything else is an <see cref="ArgumentException"/>.</summary>
    public static void Write(ref MessagePackWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNil(); break;
            case bool b: writer.Write(b); break;
            case sbyte v: writer.Write(v); break;
            case byte v: writer.Write((ulong)v); break;
            case short v: writer.Write(v); break;
            case ushort v: writer.Write((ulong)v); break;
            case int v: writer.Write(v); break;
            case uint v: writer.Write((ulong)v); break;
            case long v: writer.Write(v); break;
            case ulong v: writer.Write(v); break;
            case float v: writer.Write(v); break;
            case double v: writer.Write(v); break;
            case decimal v: writer.Write((double)v); break;
            case string s: writer.Write(s); break;
            case byte[] bytes: writer.Write(bytes); break;
            case ReadOnlyMemory<byte> memory: writer.Write(memory.Span); break;
            case MessagePackTimestamp ts: writer.Write(ts); break;
            case DateTimeOffset dto: writer.Write(MessagePackTimestamp.FromDateTimeOffset(dto)); break;
            case TimeSpan span: writer.Write(span.TotalSeconds); break;
            case MessagePackExtension ext: writer.WriteExtension(ext.TypeCode, ext.Data); break;
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
}
