using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gym.Core.Text;

namespace Gym.Core.Actions;

/// <summary>The kind of an action parameter.</summary>
public enum CallParameterKind
{
    /// <summary>A string (an element id, text, a URL, a key).</summary>
    Text,

    /// <summary>A number (pixels, milliseconds, an index).</summary>
    Number,

    /// <summary>A string or a list of strings (the options to select).</summary>
    TextOrList,
}

/// <summary>One parameter of an action.</summary>
/// <param name="Name">Its name, as a keyword argument.</param>
/// <param name="Kind">What it takes.</param>
/// <param name="Description">What it means.</param>
/// <param name="Default">Its value when left out; null makes it required.</param>
public sealed record CallParameter(string Name, CallParameterKind Kind, string Description, JsonNode? Default = null)
{
    /// <summary>Whether it must be given.</summary>
    public bool Required => Default is null;
}

/// <summary>One action of a set: its name, parameters and what it does.</summary>
/// <param name="Name">The function name.</param>
/// <param name="Description">What it does.</param>
/// <param name="Example">A call as an agent writes it.</param>
/// <param name="Parameters">Its parameters, in positional order.</param>
public sealed record CallActionSpec(string Name, string Description, string Example, IReadOnlyList<CallParameter> Parameters);

/// <summary>A parsed action call: its spec and every parameter's value (defaults filled in).</summary>
/// <param name="Spec">The action.</param>
/// <param name="Values">Each parameter's value, by name.</param>
public sealed record CallAction(CallActionSpec Spec, IReadOnlyDictionary<string, JsonNode?> Values)
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
/// A set of actions written as Python-style function calls (<c>click('12')</c>, <c>key('ctrl+s')</c>): it describes
/// itself as prompt text and as JSON tool schemas, and parses an agent's action, strict by default (exactly one
/// call, white space aside) or lenient on request (the first call of a known action anywhere in the text: prose,
/// tags or a code block around it). Native tool calls are read from their arguments. Every problem is a message
/// meant for the agent.
/// </summary>
public sealed class CallActionSet
{
    private readonly Dictionary<string, CallActionSpec> _byName;
    private readonly string _preamble;
    private readonly string _hint;

    /// <summary>A set of <paramref name="all"/>; <paramref name="preamble"/> opens its description, <paramref name="hint"/> ends its errors.</summary>
    public CallActionSet(IReadOnlyList<CallActionSpec> all, string preamble, string hint)
    {
        ArgumentNullException.ThrowIfNull(all);
        All = all;
        _byName = all.ToDictionary(a => a.Name, StringComparer.Ordinal);
        _preamble = preamble;
        _hint = hint;
        Tools = [.. all.Select(a => new ToolSpec(a.Name, a.Description, Schema(a)))];
    }

    /// <summary>Every action.</summary>
    public IReadOnlyList<CallActionSpec> All { get; }

    /// <summary>The set as JSON tool schemas, for agents that call tools natively.</summary>
    public IReadOnlyList<ToolSpec> Tools { get; }

    /// <summary>The action named <paramref name="name"/>, or null.</summary>
    public CallActionSpec? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The set as prompt text: one line per action with an example.</summary>
    public string Describe()
    {
        StringBuilder sb = new(_preamble + "\n");
        foreach (CallActionSpec a in All)
            sb.Append(a.Example).Append(": ").AppendLine(a.Description);
        return sb.ToString().TrimEnd();
    }

    /// <summary>Parses <paramref name="action"/>; exactly one of the result's action and error is set.</summary>
    public (CallAction? Action, string? Error) Parse(AgentAction action, bool lenient = false)
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
            return (null, "The action is empty. " + _hint);
        if (!lenient)
        {
            try
            {
                return Bind(PythonCallReader.ReadCall(text));
            }
            catch (FormatException e)
            {
                return (null, $"'{Shorten(text)}' is not one action call: {e.Message}. {_hint}");
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
            if (end >= text.Length || text[end] != '(' || Find(text[at..end]) is null)
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
        return (null, (firstError ?? $"No action call found in '{Shorten(text)}'.") + " " + _hint);
    }

    private static string Shorten(string s) => s.Length > 80 ? s[..77] + "..." : s;

    private (CallAction?, string?) FromToolCall(string name, string argumentsJson)
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
    private (CallAction?, string?) Bind(PythonCall call)
    {
        if (Find(call.Name) is not { } spec)
            return (null, $"There is no action '{call.Name}'. Actions: {string.Join(", ", All.Select(a => a.Name))}.");
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
        foreach (CallParameter p in spec.Parameters)
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
            if (p.Kind == CallParameterKind.Text && kind == JsonValueKind.Number && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long whole))
                values[p.Name] = JsonValue.Create(whole.ToString(CultureInfo.InvariantCulture));
            else if (p.Kind == CallParameterKind.Number && (kind == JsonValueKind.Number || kind == JsonValueKind.String)
                && double.TryParse(kind == JsonValueKind.String ? v!.GetValue<string>() : raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
                values[p.Name] = JsonValue.Create(number);
            else if (!Fits(v, p.Kind))
                return (null, $"{spec.Name}: '{p.Name}' must be {Kind(p.Kind)}, got {raw}.");
        }
        return (new CallAction(spec, values), null);
    }

    private static bool Fits(JsonNode? v, CallParameterKind kind) => kind switch
    {
        CallParameterKind.Text => v?.GetValueKind() == JsonValueKind.String,
        CallParameterKind.Number => v?.GetValueKind() == JsonValueKind.Number,
        _ => v?.GetValueKind() == JsonValueKind.String || (v is JsonArray a && a.All(x => x?.GetValueKind() == JsonValueKind.String)),
    };

    private static string Kind(CallParameterKind kind) => kind switch
    {
        CallParameterKind.Text => "a string",
        CallParameterKind.Number => "a number",
        _ => "a string or a list of strings",
    };

    private static string Schema(CallActionSpec a)
    {
        JsonObject properties = [];
        foreach (CallParameter p in a.Parameters)
        {
            JsonObject type = p.Kind switch
            {
                CallParameterKind.Number => new JsonObject { ["type"] = "number" },
                CallParameterKind.TextOrList => new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } }) },
                _ => new JsonObject { ["type"] = "string" },
            };
            type["description"] = p.Description;
            if (p.Default is not null)
                type["default"] = p.Default.DeepClone();
            properties[p.Name] = type;
        }
        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray([.. a.Parameters.Where(p => p.Required).Select(p => (JsonNode)JsonValue.Create(p.Name))]),
            ["additionalProperties"] = false,
        }.ToJsonString();
    }
}
