using System.Text.Json.Nodes;
using Gym.Models;
using Gym.Models.Generation;
using Microsoft.AspNetCore.Http;

namespace Gym.Serving;

/// <summary>Pieces both endpoints write: ids, usage, finish reasons, log-probabilities, server-sent events.</summary>
internal static class ResponseParts
{
    /// <summary>JSON as written: text stays as it is (no escaping of +, &lt;, non-ASCII), since it reaches the tokenizer and the client verbatim.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string NewId(string prefix) => prefix + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));

    public static JsonObject Usage(int promptTokens, IEnumerable<GenerationResult> results)
    {
        int completion = results.Sum(r => r.ResponseIds.Length);
        return new JsonObject { ["prompt_tokens"] = promptTokens, ["completion_tokens"] = completion, ["total_tokens"] = promptTokens + completion };
    }

    public static string Finish(GenerationResult r, bool toolCalls = false) => toolCalls ? "tool_calls" : r.Finish switch
    {
        FinishReason.Length => "length",
        _ => "stop",
    };

    public static JsonArray Ids(IEnumerable<int> ids) => [.. ids.Select(i => (JsonNode)i)];

    public static string Token(ITokenizer tokenizer, int id) => tokenizer.Decode([id], skipSpecial: false);

    /// <summary>The chat shape: <c>{"content": [{"token", "logprob", "bytes", "top_logprobs": [...]}]}</c>.</summary>
    public static JsonObject ChatLogProbs(ITokenizer tokenizer, GenerationResult r) => new()
    {
        ["content"] = new JsonArray([.. r.ResponseIds.Select((id, t) => (JsonNode)new JsonObject
        {
            ["token"] = Token(tokenizer, id),
            ["logprob"] = r.LogProbs[t],
            ["bytes"] = null,
            ["top_logprobs"] = new JsonArray([.. (r.TopLogProbs?[t] ?? []).Select(x => (JsonNode)new JsonObject
            {
                ["token"] = Token(tokenizer, x.Token), ["logprob"] = x.LogProb, ["bytes"] = null,
            })]),
        })]),
    };

    /// <summary>The legacy completions shape: parallel arrays of tokens, log-probabilities, top alternatives and text offsets.</summary>
    public static JsonObject CompletionLogProbs(ITokenizer tokenizer, GenerationResult r)
    {
        JsonArray offsets = [];
        int offset = 0;
        foreach (int id in r.ResponseIds)
        {
            offsets.Add(offset);
            offset += tokenizer.Decode([id]).Length;
        }
        return new JsonObject
        {
            ["tokens"] = new JsonArray([.. r.ResponseIds.Select(id => (JsonNode)Token(tokenizer, id))]),
            ["token_logprobs"] = new JsonArray([.. r.LogProbs.Select(lp => (JsonNode)lp)]),
            ["top_logprobs"] = new JsonArray([.. r.ResponseIds.Select((_, t) =>
            {
                JsonObject top = [];
                foreach (TokenLogProb x in r.TopLogProbs?[t] ?? [])
                    top[Token(tokenizer, x.Token)] = x.LogProb;
                return (JsonNode)top;
            })]),
            ["text_offset"] = offsets,
        };
    }

    public static async Task WriteJsonAsync(HttpResponse response, JsonNode body, int status = 200)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.WriteAsync(body.ToJsonString(Json), response.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    public static void StartEvents(HttpResponse response)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
    }

    public static async Task EventAsync(HttpResponse response, string data)
    {
        await response.WriteAsync("data: " + data + "\n\n", response.HttpContext.RequestAborted).ConfigureAwait(false);
        await response.Body.FlushAsync(response.HttpContext.RequestAborted).ConfigureAwait(false);
    }
}
