using System.Text.Json.Nodes;
using Gym.Models;
using Gym.Models.Generation;
using Microsoft.AspNetCore.Http;

namespace Gym.Serving;

/// <summary>
/// <c>POST /v1/chat/completions</c>: messages (and tools) rendered in the model's chat template; replies with
/// content or tool calls, n choices, stop sequences, seeds, log-probabilities, and streaming. When tools are offered,
/// a streamed reply is sent whole at the end of each choice (a tool call can only be recognised once complete).
/// Extension: <c>return_token_ids</c> adds the prompt's and each choice's token ids.
/// </summary>
internal sealed class ChatCompletionsEndpoint(ServedModel served, GenerationQueue queue)
{
    public async Task HandleAsync(HttpContext context, JsonObject body)
    {
        SamplingParameters sampling = SamplingParameters.Read(body);
        bool logProbs = SamplingParameters.Boolean(body, "logprobs");
        int top = SamplingParameters.Integer(body, "top_logprobs") ?? 0;
        if (top is < 0 or > 20)
            throw OpenAiError.Invalid("top_logprobs", "must be between 0 and 20.");
        if (top > 0 && !logProbs)
            throw OpenAiError.Invalid("top_logprobs", "needs logprobs: true.");
        JsonArray? tools = Tools(body);
        JsonArray messages = body["messages"] as JsonArray ?? throw OpenAiError.Invalid("messages", "is required and must be an array.");
        ITokenizer tokenizer = served.Tokenizer;
        int[] prompt = tokenizer.ApplyChatTemplate(ChatPrompt.Messages(messages, tools), addGenerationPrompt: true);
        GenerationOptions options = sampling.Options(prompt.Length, served.Context, top, stopTokenIds: null);
        TokenTrie? constraint = sampling.Constraint(tokenizer);
        GenerationRequest[] choices = [.. Enumerable.Range(0, sampling.N).Select(i => new GenerationRequest(prompt, options, constraint, sampling.SeedOf(i), context.RequestAborted))];
        ChoiceGeneration generation = new(queue, choices, sampling.Stream);
        string id = ResponseParts.NewId("chatcmpl-");
        long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        JsonObject Envelope(string kind, JsonArray choiceArray) => new()
        {
            ["id"] = id, ["object"] = kind, ["created"] = created, ["model"] = served.Name, ["system_fingerprint"] = "gym", ["choices"] = choiceArray,
        };

        if (!sampling.Stream)
        {
            GenerationResult[] results = await generation.All.ConfigureAwait(false);
            JsonObject response = Envelope("chat.completion", [.. results.Select((r, i) => (JsonNode)Choice(i, r, tools, logProbs, sampling.ReturnTokenIds))]);
            response["usage"] = ResponseParts.Usage(prompt.Length, results);
            if (sampling.ReturnTokenIds)
                response["prompt_token_ids"] = ResponseParts.Ids(prompt);
            await ResponseParts.WriteJsonAsync(context.Response, response).ConfigureAwait(false);
            return;
        }

        HttpResponse http = context.Response;
        ResponseParts.StartEvents(http);
        async Task Chunk(int index, JsonObject delta, JsonNode? logProbsNode = null, string? finish = null) =>
            await ResponseParts.EventAsync(http, Envelope("chat.completion.chunk",
                [new JsonObject { ["index"] = index, ["delta"] = delta, ["logprobs"] = logProbsNode, ["finish_reason"] = finish }]).ToJsonString(ResponseParts.Json)).ConfigureAwait(false);
        for (int i = 0; i < choices.Length; i++)
            await Chunk(i, new JsonObject { ["role"] = "assistant", ["content"] = "" }).ConfigureAwait(false);
        TextStreamer streamer = new(tokenizer, choices.Length, options.StopSequences);
        await foreach ((int choice, int token) in generation.Tokens(context.RequestAborted).ConfigureAwait(false))
        {
            string delta = streamer.Add(choice, token);
            if (tools is null && delta.Length > 0)
                await Chunk(choice, new JsonObject { ["content"] = delta }).ConfigureAwait(false);
        }
        GenerationResult[] done = await generation.All.ConfigureAwait(false);
        for (int i = 0; i < done.Length; i++)
        {
            JsonObject message = Message(done[i], tools, out bool called);
            JsonObject last = [];
            if (tools is null)
            {
                string rest = streamer.Rest(i, done[i].Text);
                if (rest.Length > 0)
                    last["content"] = rest;
            }
            else
            {
                last["content"] = message["content"]?.DeepClone();
                if (message["tool_calls"] is JsonArray calls)
                    last["tool_calls"] = new JsonArray([.. calls.Select((c, k) => { JsonObject o = (JsonObject)c!.DeepClone(); o["index"] = k; return (JsonNode)o; })]);
            }
            await Chunk(i, last, logProbs ? ResponseParts.ChatLogProbs(tokenizer, done[i]) : null, ResponseParts.Finish(done[i], called)).ConfigureAwait(false);
        }
        if (sampling.IncludeUsage)
        {
            JsonObject usage = Envelope("chat.completion.chunk", []);
            usage["usage"] = ResponseParts.Usage(prompt.Length, done);
            await ResponseParts.EventAsync(http, usage.ToJsonString(ResponseParts.Json)).ConfigureAwait(false);
        }
        await ResponseParts.EventAsync(http, "[DONE]").ConfigureAwait(false);
    }

    private JsonObject Choice(int index, GenerationResult r, JsonArray? tools, bool logProbs, bool tokenIds)
    {
        JsonObject choice = new()
        {
            ["index"] = index,
            ["message"] = Message(r, tools, out bool called),
            ["logprobs"] = logProbs ? ResponseParts.ChatLogProbs(served.Tokenizer, r) : null,
            ["finish_reason"] = ResponseParts.Finish(r, called),
        };
        if (tokenIds)
            choice["token_ids"] = ResponseParts.Ids(r.ResponseIds);
        return choice;
    }

    // The assistant message: tool calls when tools were offered and the reply is made of well-formed calls.
    private static JsonObject Message(GenerationResult r, JsonArray? tools, out bool called)
    {
        (string? content, List<(string Name, string Arguments)> calls) = tools is null ? (r.Text, []) : ChatPrompt.ParseReply(r.Text);
        called = calls.Count > 0;
        JsonObject message = new() { ["role"] = "assistant", ["content"] = content };
        if (called)
        {
            message["tool_calls"] = new JsonArray([.. calls.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = ResponseParts.NewId("call_"),
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments },
            })]);
        }
        return message;
    }

    // The offered tools, or null when there are none or tool_choice is "none".
    private static JsonArray? Tools(JsonObject body)
    {
        JsonNode? tools = body["tools"];
        if (tools is null)
            return null;
        if (tools is not JsonArray array)
            throw OpenAiError.Invalid("tools", "must be an array.");
        JsonNode? choice = body["tool_choice"];
        if (choice is JsonValue v && v.ToString() is string c)
        {
            if (c is not ("none" or "auto" or "required"))
                throw OpenAiError.Invalid("tool_choice", $"'{c}' is not one of none, auto, required (or a function object).");
            if (c == "none")
                return null;
        }
        return array.Count > 0 ? array : null;
    }
}
