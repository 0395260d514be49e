using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gym.Models;

namespace Gym.Serving;

/// <summary>
/// The OpenAI chat format in the model's own template: messages (system, developer, user, assistant with its tool
/// calls, tool results) become the tokenizer's chat messages; offered tools are described in the system message
/// with the call syntax <c>&lt;tool_call&gt;{"name": ..., "arguments": {...}}&lt;/tool_call&gt;</c>, and calls in that
/// syntax are read back out of the model's reply.
/// </summary>
public static class ChatPrompt
{
    private const string CallOpen = "<tool_call>", CallClose = "</tool_call>";

    /// <summary>The chat messages of a request, with <paramref name="tools"/> (null: none offered) described in the system message.</summary>
    public static List<ChatMessage> Messages(JsonArray messages, JsonArray? tools)
    {
        if (messages.Count == 0)
            throw OpenAiError.Invalid("messages", "must hold at least one message.");
        List<ChatMessage> chat = [];
        for (int i = 0; i < messages.Count; i++)
        {
            string where = $"messages[{i}]";
            JsonObject m = messages[i] as JsonObject ?? throw OpenAiError.Invalid(where, "must be an object.");
            string role = SamplingParameters.String(m, "role") ?? throw OpenAiError.Invalid($"{where}.role", "is required.");
            string content = Content(m["content"], $"{where}.content");
            chat.Add(role switch
            {
                "system" or "developer" => new ChatMessage("system", content),
                "user" => new ChatMessage("user", content),
                "assistant" => new ChatMessage("assistant", content + Calls(m["tool_calls"], $"{where}.tool_calls")),
                "tool" => new ChatMessage("observation", content),
                _ => throw OpenAiError.Invalid($"{where}.role", $"unknown role '{role}' (system, developer, user, assistant or tool)."),
            });
        }
        if (tools is { Count: > 0 })
        {
            string described = Describe(tools);
            if (chat[0].Role == "system")
                chat[0] = chat[0] with { Content = chat[0].Content + "\n\n" + described };
            else
                chat.Insert(0, new ChatMessage("system", described));
        }
        return chat;
    }

    /// <summary>The tools text of the system message: one JSON line per function and how to call them.</summary>
    public static string Describe(JsonArray tools)
    {
        StringBuilder text = new("# Tools\nYou may call one or more of these functions:\n<tools>\n");
        for (int i = 0; i < tools.Count; i++)
        {
            JsonObject tool = tools[i] as JsonObject ?? throw OpenAiError.Invalid($"tools[{i}]", "must be an object.");
            if (SamplingParameters.String(tool, "type") is { } type && type != "function")
                throw OpenAiError.Invalid($"tools[{i}].type", $"'{type}' is not supported (only function).");
            JsonObject function = tool["function"] as JsonObject ?? throw OpenAiError.Invalid($"tools[{i}].function", "is required.");
            string name = SamplingParameters.String(function, "name") ?? throw OpenAiError.Invalid($"tools[{i}].function.name", "is required.");
            JsonObject line = new()
            {
                ["name"] = name,
                ["description"] = SamplingParameters.String(function, "description") ?? "",
                ["parameters"] = function["parameters"]?.DeepClone() ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() },
            };
            text.Append(line.ToJsonString(ResponseParts.Json)).Append('\n');
        }
        return text.Append("</tools>\nTo call a function, reply with ").Append(CallOpen)
            .Append("""{"name": NAME, "arguments": {...}}""").Append(CallClose).Append(", one block per call.").ToString();
    }

    /// <summary>
    /// The tool calls in a reply and the text around them. A reply is read as calls only when every
    /// <c>&lt;tool_call&gt;</c> block in it is a closed JSON object with a name; otherwise it is all content.
    /// </summary>
    public static (string? Content, List<(string Name, string Arguments)> Calls) ParseReply(string text)
    {
        List<(string, string)> calls = [];
        StringBuilder rest = new();
        int at = 0;
        while (true)
        {
            int open = text.IndexOf(CallOpen, at, StringComparison.Ordinal);
            if (open < 0)
                break;
            int close = text.IndexOf(CallClose, open, StringComparison.Ordinal);
            if (close < 0 || Call(text[(open + CallOpen.Length)..close]) is not { } call)
                return (text, []);
            rest.Append(text, at, open - at);
            calls.Add(call);
            at = close + CallClose.Length;
        }
        rest.Append(text, at, text.Length - at);
        string content = calls.Count > 0 ? rest.ToString().Trim() : text;
        return (content.Length > 0 ? content : null, calls);
    }

    private static (string, string)? Call(string json)
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonObject o || o["name"] is not JsonValue name || name.GetValueKind() != JsonValueKind.String)
                return null;
            string arguments = o["arguments"] switch
            {
                null => "{}",
                JsonObject args => args.ToJsonString(ResponseParts.Json),
                JsonValue s when s.GetValueKind() == JsonValueKind.String => s.GetValue<string>(),
                _ => "",
            };
            return arguments.Length > 0 ? (name.GetValue<string>(), arguments) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Content(JsonNode? content, string where) => content switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select((p, i) => p is JsonObject part && SamplingParameters.String(part, "type") == "text"
            ? SamplingParameters.String(part, "text") ?? ""
            : throw OpenAiError.Invalid($"{where}[{i}]", "only text parts are supported by this model."))),
        _ => throw OpenAiError.Invalid(where, "must be a string, an array of text parts, or null."),
    };

    // An assistant message's earlier calls, rendered in the syntax the model is asked to use.
    private static string Calls(JsonNode? calls, string where)
    {
        if (calls is null)
            return "";
        if (calls is not JsonArray array)
            throw OpenAiError.Invalid(where, "must be an array.");
        StringBuilder text = new();
        for (int i = 0; i < array.Count; i++)
        {
            JsonObject function = (array[i] as JsonObject)?["function"] as JsonObject ?? throw OpenAiError.Invalid($"{where}[{i}].function", "is required.");
            string name = SamplingParameters.String(function, "name") ?? throw OpenAiError.Invalid($"{where}[{i}].function.name", "is required.");
            string arguments = SamplingParameters.String(function, "arguments") ?? "{}";
            JsonNode? parsed;
            try
            {
                parsed = JsonNode.Parse(arguments);
            }
            catch (JsonException e)
            {
                throw OpenAiError.Invalid($"{where}[{i}].function.arguments", $"is not JSON: {e.Message}");
            }
            text.Append(CallOpen).Append(new JsonObject { ["name"] = name, ["arguments"] = parsed }.ToJsonString(ResponseParts.Json)).Append(CallClose);
        }
        return text.ToString();
    }
}
