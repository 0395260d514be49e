using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gym.Core;
using Gym.Core.Text;

namespace Gym.Envs.Web.Actions;

/// <summary>A parsed web action: its spec and every parameter's value (defaults filled in).</summary>
/// <param name="Spec">The action.</param>
/// <param name="Values">Each parameter's value, by name.</param>
public sealed record WebAction(WebActionSpec Spec, IReadOnlyDictionary<string, JsonNode?> Values)
{
    /// <summary>The action's name.</summary>
    public string Name => Spec.Name;

    /// <summary>A text parameter.</summary>
    public string Text(string parameter) => Values[parameter]!.GetValue<string>();

    /// <summary>A number parameter.</summary>
    public double Number(string parameter) => double.Parse(Values[parameter]!.ToJsonString(), CultureInfo.InvariantCulture);

    /// <summary>A text-or-list parameter, as a list.</summary>
    public string[] Texts(string parameter) => Values[parameter] is JsonArray a ? [.. a.Select(x => x!.GetValue<string>())] : [Text(parameter)];

    /// <summary>The action written back as a call, e.g. <c>fill('5', 'red shoes')</c>.</summary>
    public override string ToString() => $"{Name}({string.Join(", ", Spec.Parameters.Select(p => Python(Values[p.Name])))})";

    private static string Python(JsonNode? value) => value switch
    {
        null => "None",
        JsonArray a => "[" + string.Join(", ", a.Select(Python)) + "]",
        _ when value.GetValueKind() == JsonValueKind.String =>
            "'" + value.GetValue<string>().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "'",
        _ => value.ToJsonString(),
    };
}

/// <summary>
/// Reads web actions. Strict by default: the action is exactly one call (surrounding white space aside). Lenient on
/// request: the first call of a known action anywhere in the text (prose, tags or a code block around it). Native
/// tool calls are read from their arguments. Every problem is a message meant for the agent.
/// </summary>
public static class WebActionParser
{
    /// <summary>Parses <paramref name="action"/>; exactly one of the result's action and error is set.</summary>
    public static (WebAction? Action, string? Error) Parse(AgentAction action, bool lenient = false)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (action.ToolCalls is { Count: > 0 } calls)
        {
            if (calls.Count > 1)
                return (null, $"One action per turn; got {calls.Count} tool calls.");
            return FromToolCall(calls[0].Name, calls[0].ArgumentsJson);
        }
        string text = action.Text.Trim();
        if (text.Length == 0)
            return (null, "The action is empty. " + Hint);
        if (!lenient)
        {
            try
            {
                return Bind(PythonCallReader.ReadCall(text));
            }
            catch (FormatException e)
            {
                return (null, $"'{Shorten(text)}' is not one action call: {e.Message}. {Hint}");
            }
        }
        string? firstError = null;
        for (int at = 0; at < text.Length; at++)
        {
            if (!char.IsLetter(text[at]) || (at > 0 && (char.IsLetterOrDigit(text[at - 1]) || text[at - 1] == '_')))
                continue;
            int end = at;
            while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_'))
                end++;
            if (end >= text.Length || text[end] != '(' || WebActionSet.Find(text[at..end]) is null)
                continue;
            try
            {
                return Bind(PythonCallReader.ReadCallAt(text, at, out _));
            }
            catch (FormatException e)
            {
                firstError ??= $"'{Shorten(text[at..])}' could not be read: {e.Message}.";
            }
        }
        return (null, (firstError ?? $"No action call found in '{Shorten(text)}'.") + " " + Hint);
    }

    private const string Hint = "Write one call such as click('12') or fill('5', 'text').";

    private static string Shorten(string s) => s.Length > 80 ? s[..77] + "..." : s;

    private static (WebAction?, string?) FromToolCall(string name, string argumentsJson)
    {
        JsonObject? args;
        try
        {
            args = JsonNode.Parse(string.IsNullOrWhiteSpace(argumentsJson) ? "{}" : argumentsJson) as JsonObject;
        }
        catch (JsonException e)
        {
            return (null, $"The arguments of {name} are not JSON: {e.Message}");
        }
        return args is null ? (null, $"The arguments of {name} must be a JSON object.") : Bind(new PythonCall(name, [], args));
    }

    // Positional and keyword arguments onto the action's parameters, with kinds checked.
    private static (WebAction?, string?) Bind(PythonCall call)
    {
        if (WebActionSet.Find(call.Name) is not { } spec)
            return (null, $"There is no action '{call.Name}'. Actions: {string.Join(", ", WebActionSet.All.Select(a => a.Name))}.");
        if (call.Arguments.Count > spec.Parameters.Count)
            return (null, $"{spec.Name} takes {spec.Parameters.Count} argument(s), got {call.Arguments.Count}: {spec.Example}");
        Dictionary<string, JsonNode?> values = new(StringComparer.Ordinal);
        for (int i = 0; i < call.Arguments.Count; i++)
            values[spec.Parameters[i].Name] = call.Arguments[i]?.DeepClone();
        foreach ((string key, JsonNode? value) in call.Keywords)
        {
            if (spec.Parameters.All(p => p.Name != key))
                return (null, $"{spec.Name} has no parameter '{key}' (it takes {string.Join(", ", spec.Parameters.Select(p => p.Name))}).");
            if (values.ContainsKey(key))
                return (null, $"{spec.Name}: '{key}' is given twice.");
            values[key] = value?.DeepClone();
        }
        foreach (WebParameter p in spec.Parameters)
        {
            if (!values.TryGetValue(p.Name, out JsonNode? v))
            {
                if (p.Required)
                    return (null, $"{spec.Name} needs '{p.Name}' ({p.Description}): {spec.Example}");
                values[p.Name] = p.Default!.DeepClone();
                continue;
            }
            JsonValueKind kind = v?.GetValueKind() ?? JsonValueKind.Null;
            string raw = v?.ToJsonString() ?? "None";
            // Ids are strings, but a model writing click(12) means the same; numbers may come quoted.
            if (p.Kind == WebParameterKind.Text && kind == JsonValueKind.Number && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long whole))
                values[p.Name] = JsonValue.Create(whole.ToString(CultureInfo.InvariantCulture));
            else if (p.Kind == WebParameterKind.Number && (kind == JsonValueKind.Number || kind == JsonValueKind.String)
                && double.TryParse(kind == JsonValueKind.String ? v!.GetValue<string>() : raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
                values[p.Name] = JsonValue.Create(number);
            else if (!Fits(v, p.Kind))
                return (null, $"{spec.Name}: '{p.Name}' must be {Kind(p.Kind)}, got {raw}.");
        }
        return (new WebAction(spec, values), null);
    }

    private static bool Fits(JsonNode? v, WebParameterKind kind) => kind switch
    {
        WebParameterKind.Text => v?.GetValueKind() == JsonValueKind.String,
        WebParameterKind.Number => v?.GetValueKind() == JsonValueKind.Number,
        _ => v?.GetValueKind() == JsonValueKind.String || (v is JsonArray a && a.All(x => x?.GetValueKind() == JsonValueKind.String)),
    };

    private static string Kind(WebParameterKind kind) => kind switch
    {
        WebParameterKind.Text => "a string",
        WebParameterKind.Number => "a number",
        _ => "a string or a list of strings",
    };
}
