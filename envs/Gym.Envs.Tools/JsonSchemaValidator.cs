using System.Globalization;
using System.Text.Json;

namespace Gym.Envs.Tools;

/// <summary>
/// Checks JSON values against the part of JSON Schema that tool definitions use: type (string, number, integer,
/// boolean, array, object, null, or a list of them), properties, required, additionalProperties (false), enum,
/// items, minimum, maximum, minLength, maxLength. Errors name the JSON path.
/// </summary>
public static class JsonSchemaValidator
{
    /// <summary>Every violation of <paramref name="schema"/> by <paramref name="value"/>, as "path: problem".</summary>
    public static List<string> Validate(JsonElement value, JsonElement schema, string path = "$")
    {
        List<string> errors = [];
        Check(value, schema, path, errors);
        return errors;
    }

    private static void Check(JsonElement value, JsonElement schema, string path, List<string> errors)
    {
        if (schema.ValueKind != JsonValueKind.Object)
            return;
        if (schema.TryGetProperty("type", out JsonElement type))
        {
            string[] allowed = type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString() ?? "")] : [type.GetString() ?? ""];
            if (!allowed.Any(t => Is(value, t)))
            {
                errors.Add($"{path}: expected {string.Join(" or ", allowed)}, got {Describe(value)}");
                return;
            }
        }
        if (schema.TryGetProperty("enum", out JsonElement options) && options.ValueKind == JsonValueKind.Array
            && !options.EnumerateArray().Any(o => JsonElement.DeepEquals(o, value)))
            errors.Add($"{path}: {Describe(value)} is not one of {string.Join(", ", options.EnumerateArray().Select(o => o.GetRawText()))}");
        if (value.ValueKind == JsonValueKind.Number)
        {
            double x = value.GetDouble();
            if (schema.TryGetProperty("minimum", out JsonElement min) && x < min.GetDouble())
                errors.Add($"{path}: {x.ToString(CultureInfo.InvariantCulture)} is below the minimum {min.GetRawText()}");
            if (schema.TryGetProperty("maximum", out JsonElement max) && x > max.GetDouble())
                errors.Add($"{path}: {x.ToString(CultureInfo.InvariantCulture)} is above the maximum {max.GetRawText()}");
        }
        if (value.ValueKind == JsonValueKind.String)
        {
            int length = value.GetString()!.Length;
            if (schema.TryGetProperty("minLength", out JsonElement minLength) && length < minLength.GetInt32())
                errors.Add($"{path}: shorter than {minLength.GetInt32()} characters");
            if (schema.TryGetProperty("maxLength", out JsonElement maxLength) && length > maxLength.GetInt32())
                errors.Add($"{path}: longer than {maxLength.GetInt32()} characters");
        }
        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out JsonElement items))
        {
            int i = 0;
            foreach (JsonElement item in value.EnumerateArray())
                Check(item, items, $"{path}[{i++}]", errors);
        }
        if (value.ValueKind == JsonValueKind.Object)
        {
            JsonElement properties = schema.TryGetProperty("properties", out JsonElement p) ? p : default;
            if (schema.TryGetProperty("required", out JsonElement required))
            {
                foreach (JsonElement name in required.EnumerateArray())
                {
                    if (!value.TryGetProperty(name.GetString()!, out _))
                        errors.Add($"{path}: missing required property '{name.GetString()}'");
                }
            }
            bool closed = schema.TryGetProperty("additionalProperties", out JsonElement additional) && additional.ValueKind == JsonValueKind.False;
            foreach (JsonProperty property in value.EnumerateObject())
            {
                if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out JsonElement sub))
                    Check(property.Value, sub, $"{path}.{property.Name}", errors);
                else if (closed)
                    errors.Add($"{path}: unexpected property '{property.Name}'");
            }
        }
    }

    private static bool Is(JsonElement value, string type) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string {value.GetRawText()}",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };
}
