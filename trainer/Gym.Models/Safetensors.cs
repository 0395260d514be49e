using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Models;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
/// (<c>{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}</c>, padded with spaces to a
/// multiple of 8 bytes), then the raw little-endian tensor bytes, each tensor at its offsets.
/// TorchSharp.PyBridge reads and writes safetensors too, but without the checks this reader makes (every entry's
/// dtype, size, offsets and overlaps against the file, with errors naming the tensor), without the
/// <c>__metadata__</c> that transformers looks for, without the 8-byte header alignment, and its writer neither
/// truncates an existing file nor replaces it atomically; so Gym keeps its own.
/// </summary>
public static class Safetensors
{
    /// <summary>The largest header this reader accepts (100 MB, as the reference implementation).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private static readonly Dictionary<string, ScalarType> DTypes = new(StringComparer.Ordinal)
    {
        ["F32"] = ScalarType.Float32, ["F16"] = ScalarType.Float16, ["BF16"] = ScalarType.BFloat16, ["F64"] = ScalarType.Float64,
        ["I64"] = ScalarType.Int64, ["I32"] = ScalarType.Int32, ["I16"] = ScalarType.Int16, ["I8"] = ScalarType.Int8,
        ["U8"] = ScalarType.Byte, ["BOOL"] = ScalarType.Bool,
    };

    /// <summary>The safetensors name of an element type.</summary>
    public static string DTypeName(ScalarType type) =>
        DTypes.FirstOrDefault(p => p.Value == type).Key ?? throw new NotSupportedException($"safetensors has no dtype for {type}.");

    /// <summary>Writes tensors (in the given order) with optional string metadata.</summary>
    public static void Save(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        using MemoryStream headerJson = new();
        long offset = 0;
        using (Utf8JsonWriter json = new(headerJson))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach ((string k, string v) in metadata)
                    json.WriteString(k, v);
                json.WriteEndObject();
            }
            foreach ((string name, Tensor t) in tensors)
            {
                long bytes = t.NumberOfElements * t.ElementSize;
                json.WriteStartObject(name);
                json.WriteString("dtype", DTypeName(t.dtype));
                json.WriteStartArray("shape");
                foreach (long s in t.shape)
                    json.WriteNumberValue(s);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        int padded = (int)((headerJson.Length + 7) / 8 * 8);
        byte[] header = new byte[padded];
        Array.Fill(header, (byte)' ');
        headerJson.ToArray().CopyTo(header, 0);

        string tmp = path + ".tmp";
        using (FileStream file = new(tmp, FileMode.Create, FileAccess.Write))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            file.Write(length);
            file.Write(header);
            foreach ((string _, Tensor t) in tensors)
            {
                using DisposeScope scope = NewDisposeScope();
                Tensor cpu = t.detach().cpu().contiguous();
                if (cpu.NumberOfElements > 0)
                    cpu.WriteBytesToStream(file, bufferSize: 1 << 20);
            }
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>One entry of a safetensors header.</summary>
    /// <param name="Name">The tensor's name.</param>
    /// <param name="DType">Its element type.</param>
    /// <param name="Shape">Its shape.</param>
    /// <param name="Begin">Start of its bytes, relative to the data section.</param>
    /// <param name="End">End of its bytes.</param>
    public sealed record Entry(string Name, ScalarType DType, long[] Shape, long Begin, long End);

    /// <summary>Reads the header, validating every entry against the file (dtypes, sizes, offsets, overlaps).</summary>
    public static (IReadOnlyList<Entry> Entries, IReadOnlyDictionary<string, string> Metadata, long DataStart) ReadHeader(string path)
    {
        using FileStream file = File.OpenRead(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        if (file.Read(lengthBytes) != 8)
            throw new InvalidDataException($"{path}: too short for a safetensors file.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes || (long)headerLength > file.Length - 8)
            throw new InvalidDataException($"{path}: header length {headerLength} is larger than the file or the 100 MB limit.");
        byte[] header = new byte[headerLength];
        file.ReadExactly(header);
        long dataStart = 8 + (long)headerLength;
        long dataLength = file.Length - dataStart;
        List<Entry> entries = [];
        Dictionary<string, string> metadata = new(StringComparer.Ordinal);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header.AsMemory().TrimEnd((byte)' '));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the header is not valid JSON: {e.Message}", e);
        }
        using (doc)
        {
            foreach (JsonProperty p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "__metadata__")
                {
                    foreach (JsonProperty m in p.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.GetString() ?? "";
                    continue;
                }
                string where = $"{path}: tensor '{p.Name}'";
                string dtypeName = p.Value.GetProperty("dtype").GetString() ?? "";
                if (!DTypes.TryGetValue(dtypeName, out ScalarType dtype))
                    throw new InvalidDataException($"{where}: unsupported dtype '{dtypeName}'.");
                long[] shape = [.. p.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64())];
                long[] offsets = [.. p.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64())];
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                    throw new InvalidDataException($"{where}: data_offsets [{string.Join(", ", offsets)}] fall outside the {dataLength} data bytes.");
                long expected = shape.Aggregate(1L, (a, b) => a * b) * ElementSize(dtype);
                if (offsets[1] - offsets[0] != expected)
                    throw new InvalidDataException($"{where}: shape [{string.Join(", ", shape)}] of {dtypeName} needs {expected} bytes, the offsets give {offsets[1] - offsets[0]}.");
                entries.Add(new Entry(p.Name, dtype, shape, offsets[0], offsets[1]));
            }
        }
        Entry[] sorted = [.. entries.OrderBy(e => e.Begin)];
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Begin < sorted[i - 1].End)
                throw new InvalidDataException($"{path}: tensors '{sorted[i - 1].Name}' and '{sorted[i].Name}' overlap.");
        }
        return (entries, metadata, dataStart);
    }

    /// <summary>Loads every tensor of a file onto the CPU (the caller owns them: they belong to no dispose scope).</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        (IReadOnlyList<Entry> entries, _, long dataStart) = ReadHeader(path);
        Dictionary<string, Tensor> tensors = new(StringComparer.Ordinal);
        using FileStream file = File.OpenRead(path);
        foreach (Entry e in entries)
        {
            // Every supported dtype is stored little-endian, as libtorch holds it on the CPU: read the bytes straight in.
            Tensor t = empty(e.Shape, e.DType).DetachFromDisposeScope();
            file.Position = dataStart + e.Begin;
            if (e.End > e.Begin)
                t.ReadBytesFromStream(file, (int)Math.Min(e.End - e.Begin, 1 << 20));
            tensors[e.Name] = t;
        }
        return tensors;
    }

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(ScalarType type) => type switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 => 8,
        _ => throw new NotSupportedException($"safetensors has no dtype for {type}."),
    };
}
