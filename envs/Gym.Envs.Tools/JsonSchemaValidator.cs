using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Json.Schema;

namespace Gym.Envs.Tools;

/// <summary>
/// Checks JSON values against a JSON Schema (draft 2020-12, the whole of it, by JsonSchema.Net): the errors a
/// JSON Schema user expects, each as "path: problem" with a JSONPath-style path (<c>$.xs[0]</c>).
/// </summary>
public static class JsonSchemaValidator
{
    // Building a schema registers it with the library's global registry, so each distinct schema is built once.
    private static readonly ConcurrentDictionary<string, JsonSchema> Built = new(StringComparer.Ordinal);

    private static readonly EvaluationOptions ListErrors = new() { OutputFormat = OutputFormat.List };

    /// <summary>Every violation of <paramref name="schema"/> by <paramref name="value"/>, as "path: problem".</summary>
    public static List<string> Validate(JsonElement value, JsonElement schema)
    {
        JsonSchema built = Built.GetOrAdd(schema.GetRawText(), _ => JsonSchema.Build(schema.Clone()));
        EvaluationResults results = built.Evaluate(value, ListErrors);
        if (results.IsValid)
            return [];
        List<string> errors = [];
        foreach (EvaluationResults result in (IEnumerable<EvaluationResults>?)results.Details ?? [results])
        {
            if (result.Errors is null)
                continue;
            string path = JsonPath(result.InstanceLocation.ToString());
            foreach (string message in result.Errors.Values)
                errors.Add($"{path}: {message}");
        }
        return errors;
    }

    // "/xs/0/name" (a JSON Pointer) -> "$.xs[0].name"; a key that is not a plain name is quoted.
    private static string JsonPath(string pointer)
    {
        StringBuilder path = new("$");
        foreach (string raw in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (token.All(char.IsAsciiDigit))
                path.Append('[').Append(token).Append(']');
            else if (token.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                path.Append('.').Append(token);
            else
                path.Append('[').Append(JsonSerializer.Serialize(token)).Append(']');
        }
        return path.ToString();
    }
}
