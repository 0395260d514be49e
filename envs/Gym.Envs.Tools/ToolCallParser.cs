using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gym.Core;
using Gym.Core.Text;

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
                List<ParsedToolCall> calls = [];
                foreach (PythonCall call in PythonCallReader.ReadList(trimmed))
                    calls.Add(call.Arguments.Count == 0 ? new ParsedToolCall(call.Name, call.Keywords)
                        : throw new FormatException($"{call.Name}: name every argument (key=value)"));
                return new ParsedToolAction(calls, null, null);
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
}
