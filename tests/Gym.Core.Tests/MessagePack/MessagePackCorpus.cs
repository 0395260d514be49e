using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Gym.Core.MessagePack;
using Gym.Testing;
using MessagePack;

namespace Gym.Core.Tests.MessagePack;

/// <summary>The shared interop corpus (tests/interop/msgpack-corpus.json) turned into .NET values.</summary>
internal static class MessagePackCorpus
{
    public sealed record Entry(string Name, string Type, object? Value, byte[]? RawBytes);

    public static string Path => System.IO.Path.Combine(TestPaths.Interop, "msgpack-corpus.json");

    public static IReadOnlyList<Entry> Load()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path));
        List<Entry> entries = [];
        foreach (JsonElement e in doc.RootElement.GetProperty("entries").EnumerateArray())
        {
            string type = e.GetProperty("type").GetString()!;
            if (type == "raw")
                entries.Add(new Entry(e.GetProperty("name").GetString()!, type, Build(e.GetProperty("decoded")), Convert.FromHexString(e.GetProperty("hex").GetString()!)));
            else
                entries.Add(new Entry(e.GetProperty("name").GetString()!, type, Build(e), null));
        }
        return entries;
    }

    private static object? Build(JsonElement d)
    {
        string type = d.GetProperty("type").GetString()!;
        switch (type)
        {
            case "nil": return null;
            case "true": return true;
            case "false": return false;
            case "int":
                string v = d.GetProperty("value").GetString()!;
                return long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l) ? l : ulong.Parse(v, CultureInfo.InvariantCulture);
            case "float32": return (float)Number(d.GetProperty("value"));
            case "float64": return Number(d.GetProperty("value"));
            case "str": return string.Concat(Enumerable.Repeat(d.GetProperty("repeat").GetString()!, d.GetProperty("count").GetInt32()));
            case "bin": return Bytes(d.GetProperty("length").GetInt32());
            case "array": return Enumerable.Range(0, d.GetProperty("length").GetInt32()).Select(i => (object?)(long)(i % 128)).ToArray();
            case "map":
                MessagePackMap map = [];
                for (int i = 0; i < d.GetProperty("length").GetInt32(); i++)
                    map.Add(new KeyValuePair<object?, object?>("k" + i.ToString(CultureInfo.InvariantCulture), (long)(i % 128)));
                return map;
            case "ext": return new MessagePackExtension((sbyte)d.GetProperty("extType").GetInt32(), Bytes(d.GetProperty("length").GetInt32()));
            case "timestamp": return new MessagePackTimestamp(long.Parse(d.GetProperty("sec").GetString()!, CultureInfo.InvariantCulture), d.GetProperty("nsec").GetUInt32());
            case "json": return FromJson(d.GetProperty("value"));
            default: throw new InvalidDataException($"Unknown corpus type {type}.");
        }
    }

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch { "NaN" => double.NaN, "Infinity" => double.PositiveInfinity, "-Infinity" => double.NegativeInfinity, var s => throw new InvalidDataException(s) }
        : e.GetDouble();

    private static byte[] Bytes(int n) => [.. Enumerable.Range(0, n).Select(i => (byte)(i % 256))];

    private static object? FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out long l) && !e.GetRawText().Contains('.', StringComparison.Ordinal) ? (object)l : e.GetDouble(),
        JsonValueKind.Array => e.EnumerateArray().Select(FromJson).ToArray(),
        JsonValueKind.Object => Map(e),
        _ => throw new InvalidDataException(e.ValueKind.ToString()),
    };

    private static MessagePackMap Map(JsonElement e)
    {
        MessagePackMap map = [];
        foreach (JsonProperty p in e.EnumerateObject())
            map.Add(new KeyValuePair<object?, object?>(p.Name, FromJson(p.Value)));
        return map;
    }

    public static byte[] Encode(object? value)
    {
        ArrayBufferWriter<byte> buffer = new();
        MessagePackWriter writer = new(buffer);
        MessagePackObjects.Write(ref writer, value);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public static object? Decode(byte[] bytes)
    {
        MessagePackReader reader = new(bytes);
        object? value = MessagePackObjects.Read(ref reader);
        if (!reader.End)
            throw new InvalidDataException($"{bytes.Length - reader.Consumed} bytes left after the value.");
        return value;
    }

    /// <summary>Structural equality of decoded values; NaN equals NaN, integers compare by value.</summary>
    public static bool Same(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (long x, long y) => x == y,
        (ulong x, ulong y) => x == y,
        (long x, ulong y) => x >= 0 && (ulong)x == y,
        (ulong x, long y) => y >= 0 && (ulong)y == x,
        (float x, float y) => x.Equals(y),
        (double x, double y) => x.Equals(y),
        (string x, string y) => x == y,
        (bool x, bool y) => x == y,
        (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
        (MessagePackExtension x, MessagePackExtension y) => x.Equals(y),
        (MessagePackTimestamp x, MessagePackTimestamp y) => x == y,
        (object?[] x, object?[] y) => x.Length == y.Length && x.Zip(y).All(p => Same(p.First, p.Second)),
        (MessagePackMap x, MessagePackMap y) => x.Count == y.Count && x.Zip(y).All(p => Same(p.First.Key, p.Second.Key) && Same(p.First.Value, p.Second.Value)),
        _ => false,
    };
}
