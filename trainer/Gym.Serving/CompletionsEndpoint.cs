using System.Text.Json;
using System.Text.Json.Nodes;
using Gym.Models.Generation;
using Microsoft.AspNetCore.Http;

namespace Gym.Serving;

/// <summary>
/// <c>POST /v1/completions</c>, token-in token-out: the prompt is text, token ids, or a list of either; each
/// choice returns its text, its exact token ids (<c>token_ids</c>) and the prompt's (<c>prompt_token_ids</c>), so a
/// rollout can be trained on the very tokens sampled. Special tokens count: they can end the prompt (a chat
/// template's assistant tag) and stop the reply (the end-of-turn token, unless <c>ignore_eos</c>).
/// <c>logprobs: K</c> returns each token's log-probability and its K most likely alternatives.
/// </summary>
internal sealed class CompletionsEndpoint(ServedModel served, GenerationQueue queue)
{
    public async Task HandleAsync(HttpContext context, JsonObject body)
    {
        SamplingParameters sampling = SamplingParameters.Read(body);
        if (SamplingParameters.Boolean(body, "echo"))
            throw OpenAiError.Invalid("echo", "is not supported; the prompt's token ids are returned in prompt_token_ids.");
        if (body["suffix"] is not null)
            throw OpenAiError.Invalid("suffix", "is not supported.");
        int? logProbs = SamplingParameters.Integer(body, "logprobs");
        if (logProbs is < 0 or > 20)
            throw OpenAiError.Invalid("logprobs", "must be between 0 and 20.");
        IReadOnlyList<int>? stopIds = SamplingParameters.Boolean(body, "ignore_eos") ? [] : null;
        List<int[]> prompts = Prompts(body["prompt"]);
        List<GenerationRequest> choices = [];
        TokenTrie? constraint = sampling.Constraint(served.Tokenizer);
        foreach (int[] prompt in prompts)
        {
            GenerationOptions options = sampling.Options(prompt.Length, served.Context, logProbs ?? 0, stopIds);
            for (int i = 0; i < sampling.N; i++)
                choices.Add(new GenerationRequest(prompt, options, constraint, sampling.SeedOf(choices.Count), context.RequestAborted));
        }
        ChoiceGeneration generation = new(queue, choices, sampling.Stream);
        string id = ResponseParts.NewId("cmpl-");
        long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        int promptTokens = prompts.Sum(p => p.Length);

        JsonObject Envelope(JsonArray choiceArray) => new()
        {
            ["id"] = id, ["object"] = "text_completion", ["created"] = created, ["model"] = served.Name, ["system_fingerprint"] = "gym", ["choices"] = choiceArray,
        };
        JsonObject Choice(int index, string text, GenerationResult? r) => new()
        {
            ["index"] = index,
            ["text"] = text,
            ["logprobs"] = r is not null && logProbs is not null ? ResponseParts.CompletionLogProbs(served.Tokenizer, r) : null,
            ["finish_reason"] = r is null ? null : ResponseParts.Finish(r),
            ["prompt_token_ids"] = r is null ? null : ResponseParts.Ids(r.PromptIds),
            ["token_ids"] = r is null ? null : ResponseParts.Ids(r.ResponseIds),
        };

        if (!sampling.Stream)
        {
            GenerationResult[] results = await generation.All.ConfigureAwait(false);
            JsonObject response = Envelope([.. results.Select((r, i) => (JsonNode)Choice(i, r.Text, r))]);
            response["usage"] = ResponseParts.Usage(promptTokens, results);
            await ResponseParts.WriteJsonAsync(context.Response, response).ConfigureAwait(false);
            return;
        }

        HttpResponse http = context.Response;
        ResponseParts.StartEvents(http);
        TextStreamer streamer = new(served.Tokenizer, choices.Count, sampling.Stop);
        await foreach ((int choice, int token) in generation.Tokens(context.RequestAborted).ConfigureAwait(false))
        {
            string delta = streamer.Add(choice, token);
            if (delta.Length > 0)
            {
                JsonObject chunk = Choice(choice, delta, null);
                chunk.Remove("prompt_token_ids");
                chunk.Remove("token_ids");
                await ResponseParts.EventAsync(http, Envelope([chunk]).ToJsonString(ResponseParts.Json)).ConfigureAwait(false);
            }
        }
        GenerationResult[] done = await generation.All.ConfigureAwait(false);
        for (int i = 0; i < done.Length; i++)
            await ResponseParts.EventAsync(http, Envelope([Choice(i, streamer.Rest(i, done[i].Text), done[i])]).ToJsonString(ResponseParts.Json)).ConfigureAwait(false);
        if (sampling.IncludeUsage)
        {
            JsonObject usage = Envelope([]);
            usage["usage"] = ResponseParts.Usage(promptTokens, done);
            await ResponseParts.EventAsync(http, usage.ToJsonString(ResponseParts.Json)).ConfigureAwait(false);
        }
        await ResponseParts.EventAsync(http, "[DONE]").ConfigureAwait(false);
    }

    // A string, an array of token ids, or an array of either.
    private List<int[]> Prompts(JsonNode? prompt)
    {
        List<int[]> prompts = prompt switch
        {
            null => throw OpenAiError.Invalid("prompt", "is required."),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => [served.Tokenizer.Encode(v.GetValue<string>())],
            JsonArray a when a.Count > 0 && a.All(x => x is JsonValue n && n.GetValueKind() == JsonValueKind.Number) => [TokenIds(a, "prompt")],
            JsonArray a when a.Count > 0 => [.. a.Select((x, i) => x switch
            {
                JsonValue s when s.GetValueKind() == JsonValueKind.String => served.Tokenizer.Encode(s.GetValue<string>()),
                JsonArray ids => TokenIds(ids, $"prompt[{i}]"),
                _ => throw OpenAiError.Invalid($"prompt[{i}]", "must be a string or an array of token ids."),
            })],
            _ => throw OpenAiError.Invalid("prompt", "must be a string, an array of token ids, or a non-empty array of either."),
        };
        for (int i = 0; i < prompts.Count; i++)
        {
            if (prompts[i].Length == 0)
                throw OpenAiError.Invalid(prompts.Count == 1 ? "prompt" : $"prompt[{i}]", "is empty.");
        }
        return prompts;
    }

    private int[] TokenIds(JsonArray ids, string where)
    {
        int vocab = served.Model.Config.VocabSize;
        int[] tokens = new int[ids.Count];
        for (int i = 0; i < ids.Count; i++)
        {
            if (ids[i] is not JsonValue v || !v.TryGetValue(out int id) || id < 0 || id >= vocab)
                throw OpenAiError.Invalid($"{where}[{i}]", $"must be a token id in [0, {vocab}).");
            tokens[i] = id;
        }
        return tokens;
    }
}
