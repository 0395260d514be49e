using System.IO.Compression;
using System.Text.Json;
using Gym.Core.Tasks;

namespace Gym.Envs.Code.Importers;

/// <summary>Reads a JSON Lines file (gzip-compressed when its name ends in <c>.gz</c>); a line that is not a JSON object is an error naming the file and the line.</summary>
public static class JsonLines
{
    /// <summary>Each non-blank line of <paramref name="path"/> as a JSON object, with its 1-based line number.</summary>
    public static IReadOnlyList<(int Line, JsonElement Value)> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No file at {path}.", path);
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using StreamReader reader = new(stream);
        List<(int, JsonElement)> lines = [];
        int number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            JsonElement value;
            try
            {
                using JsonDocument document = JsonDocument.Parse(line);
                value = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new TaskFileException(path, $"line {number}", $"not valid JSON: {e.Message}", e);
            }
            if (value.ValueKind != JsonValueKind.Object)
                throw new TaskFileException(path, $"line {number}", $"expected a JSON object, got {value.ValueKind}");
            lines.Add((number, value));
        }
        return lines;
    }

    /// <summary>The string field <paramref name="name"/> of line <paramref name="line"/>; missing or not a string is an error naming the file, line and field.</summary>
    public static string Text(string path, int line, JsonElement value, string name) =>
        value.TryGetProperty(name, out JsonElement field) && field.ValueKind == JsonValueKind.String
            ? field.GetString()!
            : throw new TaskFileException(path, $"line {line}: $.{name}", field.ValueKind == JsonValueKind.Undefined ? "missing" : $"expected a string, got {field.ValueKind}");

    /// <summary>The list of strings <paramref name="name"/> of line <paramref name="line"/>; null when absent.</summary>
    public static IReadOnlyList<string>? Texts(string path, int line, JsonElement value, string name)
    {
        if (!value.TryGetProperty(name, out JsonElement field) || field.ValueKind == JsonValueKind.Null)
            return null;
        if (field.ValueKind != JsonValueKind.Array || field.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            throw new TaskFileException(path, $"line {line}: $.{name}", "expected a list of strings");
        return [.. field.EnumerateArray().Select(e => e.GetString()!)];
    }
}
