using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gym.Core;

namespace Gym.Envs.Tools;

/// <summary>A tool call with its arguments as a JSON object.</summary>
/// <param name="Name">The tool.</param>
/// <param name="Arguments">The arguments object.</param>
public sealed record ParsedToolCall(string Name, JsonObject Arguments);

/// <summary>What an action asks for: tool calls, a final answer, or neither (with the reason).</summary>
/// <param name="Calls">The tool calls, in order.</param>
/// <param name="Answer">The final answer, when the action gives one.</param>
/// <param name="Error">Why nothing usable was found, or null.</param>
public sealed record ParsedToolAction(IReadOnlyList<ParsedToolCall> Calls, string? Answer, string? Error);

/// <summary>
/// Reads tool calls from an action in the three forms agents use: native calls (<see cref="AgentAction.ToolCalls"/>),
/// tagged JSON (<c>&lt;tool_call&gt;{"name": ..., "arguments": {...}}&lt;/tool_call&gt;</c>, several allowed), and a
/// Python-call list (<c>[f(a=1), g(b='x')]</c>). A final answer is <c>&lt;answer&gt;...&lt;/answer&gt;</c>.
/// Malformed input becomes an error message for the agent, never an exception.
/// </summary>
public static partial class ToolCallParser
{
    /// <summary>The syntax, as environments describe it.</summary>
    public const string Syntax = "Call tools with <tool_call>{\"name\": \"TOOL\", \"arguments\": {...}}</tool_call> (several allowed) or a Python-style list " +
        "[tool(arg=value), ...]; give the final answer as <answer>...</answer>.";

    /// <summary>Each native call's result by its id, when <paramref name="action"/> made native calls; else none.</summary>
    public static IReadOnlyList<ToolResult> NativeResults(AgentAction action, IReadOnlyList<string> contents)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(contents);
        return action.ToolCalls.Count == contents.Count ? [.. action.ToolCalls.Select((c, i) => new ToolResult(c.Id, contents[i]))] : [];
    }

    /// <summary>Parses <paramref name="action"/>.</summary>
    public static ParsedToolAction Parse(AgentAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        string? answer = Answer().Match(action.Text) is { Success: true } a ? a.Groups[1].Value.Trim() : null;
        if (action.ToolCalls.Count > 0)
        {
            List<ParsedToolCall> calls = [];
            foreach (ToolCall call in action.ToolCalls)
            {
                JsonObject? arguments = ParseArguments(call.ArgumentsJson, out string? error);
                if (arguments is null)
                    return new ParsedToolAction([], null, $"The arguments of {call.Name} are not a JSON object: {error}");
                calls.Add(new ParsedToolCall(call.Name, arguments));
            }
            return new ParsedToolAction(calls, answer, null);
        }
        MatchCollection tagged = Tagged().Matches(action.Text);
        if (tagged.Count > 0)
        {
            List<ParsedToolCall> calls = [];
            foreach (Match m in tagged)
            {
                JsonNode? node;
                try
                {
                    node = JsonNode.Parse(m.Groups[1].Value);
                }
                catch (JsonException e)
                {
                    return new ParsedToolAction([], null, $"A <tool_call> is not valid JSON: {e.Message}");
                }
                if (node is not JsonObject o || o["name"]?.GetValueKind() != JsonValueKind.String)
                    return new ParsedToolAction([], null, "A <tool_call> must be a JSON object with a string \"name\" and an object \"arguments\".");
                JsonNode? args = o["arguments"];
                if (args is not null and not JsonObject)
                    return new ParsedToolAction([], null, $"The \"arguments\" of {o["name"]!.GetValue<string>()} must be a JSON object.");
                calls.Add(new ParsedToolCall(o["name"]!.GetValue<string>(), (JsonObject?)args?.DeepClone() ?? []));
            }
            return new ParsedToolAction(calls, answer, null);
        }
        string trimmed = action.Text.Trim();
        if (answer is null && trimmed.StartsWith('[') && trimmed.EndsWith(']'))
        {
            try
            {
                return new ParsedToolAction(new PythonCalls(trimmed).ParseList(), null, null);
            }
            catch (FormatException e)
            {
                return new ParsedToolAction([], null, $"The call list could not be read: {e.Message}");
            }
        }
        return answer is not null ? new ParsedToolAction([], answer, null) : new ParsedToolAction([], null, "No tool call or answer found. " + Syntax);
    }

    private static JsonObject? ParseArguments(string json, out string? error)
    {
        error = null;
        try
        {
            return JsonNode.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            error = e.Message;
            return null;
        }
    }

    [GeneratedRegex(@"<tool_call>\s*(.*?)\s*</tool_call>", RegexOptions.Singleline)]
    private static partial Regex Tagged();

    [GeneratedRegex(@"<answer>(.*?)</answer>", RegexOptions.Singleline)]
    private static partial Regex Answer();

    // A recursive-descent reader of [name(key=literal, ...), ...] with Python literals.
    private sealed class PythonCalls(string text)
    {
        private int _at;

        public List<ParsedToolCall> ParseList()
        {
            Expect('[');
            List<ParsedToolCall> calls = [];
            Skip();
            if (Peek() == ']')
            {
                _at++;
                return calls;
            }
            while (true)
            {
                calls.Add(ParseCall());
                Skip();
                if (Peek() == ',')
                {
                    _at++;
                    continue;
                }
                Expect(']');
                Skip();
                if (_at != text.Length)
                    throw Error("text after the closing ]");
                return calls;
            }
        }

        private ParsedToolCall ParseCall()
        {
            string name = Identifier();
            Expect('(');
            JsonObject args = [];
            Skip();
            if (Peek() == ')')
            {
                _at++;
                return new ParsedToolCall(name, args);
            }
            while (true)
            {
                string key = Identifier();
                Expect('=');
                if (args.ContainsKey(key))
                    throw Error($"argument '{key}' given twice");
                args[key] = Literal();
                Skip();
                if (Peek() == ',')
                {
                    _at++;
                    continue;
                }
                Expect(')');
                return new ParsedToolCall(name, args);
            }
        }

        private JsonNode? Literal()
        {
            Skip();
            char c = Peek();
            if (c is '\'' or '"')
                return JsonValue.Create(StringLiteral());
            if (c == '[')
            {
                _at++;
                JsonArray array = [];
                Skip();
                while (Peek() != ']')
                {
                    array.Add(Literal());
                    Skip();
                    if (Peek() == ',')
                        _at++;
                    Skip();
                }
                _at++;
                return array;
            }
            if (c == '{')
            {
                _at++;
                JsonObject o = [];
                Skip();
                while (Peek() != '}')
                {
                    Skip();
                    string key = Peek() is '\'' or '"' ? StringLiteral() : throw Error("dictionary keys must be strings");
                    Expect(':');
                    o[key] = Literal();
                    Skip();
                    if (Peek() == ',')
                        _at++;
                    Skip();
                }
                _at++;
                return o;
            }
            if (char.IsLetter(c))
            {
                string word = Identifier();
                return word switch
                {
                    "True" or "true" => JsonValue.Create(true),
                    "False" or "false" => JsonValue.Create(false),
                    "None" or "null" => null,
                    _ => throw Error($"'{word}' is not a literal"),
                };
            }
            int start = _at;
            while (_at < text.Length && (char.IsDigit(text[_at]) || text[_at] is '-' or '+' or '.' or 'e' or 'E' or '_'))
                _at++;
            string number = text[start.._at].Replace("_", "", StringComparison.Ordinal);
            if (long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
                return JsonValue.Create(l);
            if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
                return JsonValue.Create(d);
            throw Error($"expected a value at position {start}");
        }

        private string StringLiteral()
        {
            char quote = text[_at++];
            StringBuilder sb = new();
            while (_at < text.Length && text[_at] != quote)
            {
                char c = text[_at++];
                if (c == '\\' && _at < text.Length)
                {
                    char e = text[_at++];
                    sb.Append(e switch { 'n' => '\n', 't' => '\t', _ => e });
                }
                else
                {
                    sb.Append(c);
                }
            }
            if (_at >= text.Length)
                throw Error("a string is not closed");
            _at++;
            return sb.ToString();
        }

        private string Identifier()
        {
            Skip();
            int start = _at;
            while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] is '_' or '.'))
                _at++;
            return _at > start ? text[start.._at] : throw Error($"expected a name at position {start}");
        }

        private void Expect(char c)
        {
            Skip();
            if (Peek() != c)
                throw Error($"expected '{c}' at position {_at}");
            _at++;
        }

        private char Peek() => _at < text.Length ? text[_at] : '\0';

        private void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
                _at++;
        }

        private FormatException Error(string message) => new(message);
    }
}
