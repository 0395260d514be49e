using System.Text.Json;
using System.Text.Json.Nodes;
using Gym.Models.Generation;

namespace Gym.Serving;

/// <summary>
/// The sampling fields common to both endpoints, read from a request body with errors that name the field:
/// temperature, top_p, top_k (an extension), seed, max_tokens / max_completion_tokens, stop, n, stream and
/// stream_options.include_usage, and guided_choice (an extension, as vLLM names it: the reply is exactly one of the
/// given strings, by constrained decoding). Penalties are not implemented and are refused unless zero.
/// </summary>
internal sealed record SamplingParameters
{
    public double Temperature { get; init; } = 1;
    public double TopP { get; init; } = 1;
    public int TopK { get; init; }
    public long? Seed { get; init; }
    public int? MaxTokens { get; init; }
    public IReadOnlyList<string> Stop { get; init; } = [];
    public int N { get; init; } = 1;
    public bool Stream { get; init; }
    public bool IncludeUsage { get; init; }
    public bool ReturnTokenIds { get; init; }
    public IReadOnlyList<string>? GuidedChoice { get; init; }

    public static SamplingParameters Read(JsonObject body)
    {
        foreach (string penalty in (string[])["presence_penalty", "frequency_penalty", "repetition_penalty"])
        {
            if (Number(body, penalty) is { } value && value != 0 && !(penalty == "repetition_penalty" && value == 1))
                throw OpenAiError.Invalid(penalty, "penalties are not supported by this server; leave it out.");
        }
        if (Number(body, "best_of") is { } bestOf && bestOf != (Number(body, "n") ?? 1))
            throw OpenAiError.Invalid("best_of", "is not supported; leave it out or equal to n.");
        int? maxTokens = Integer(body, "max_completion_tokens") ?? Integer(body, "max_tokens");
        if (maxTokens is < 1)
            throw OpenAiError.Invalid(body.ContainsKey("max_completion_tokens") ? "max_completion_tokens" : "max_tokens", "must be at least 1.");
        JsonObject? streamOptions = body["stream_options"] as JsonObject;
        return new SamplingParameters
        {
            Temperature = InRange(body, "temperature", 0, 2) ?? 1,
            TopP = Number(body, "top_p") is { } p ? (p is > 0 and <= 1 ? p : throw OpenAiError.Invalid("top_p", $"{p} is outside (0, 1].")) : 1,
            TopK = Integer(body, "top_k") is { } k ? (k >= -1 ? Math.Max(k, 0) : throw OpenAiError.Invalid("top_k", "must be -1, 0 (off) or positive.")) : 0,
            Seed = body["seed"] is null ? null : Long(body, "seed"),
            MaxTokens = maxTokens,
            Stop = Stops(body["stop"]),
            N = Integer(body, "n") is { } n ? (n is >= 1 and <= 16 ? n : throw OpenAiError.Invalid("n", "must be between 1 and 16.")) : 1,
            Stream = Boolean(body, "stream"),
            IncludeUsage = streamOptions is not null && Boolean(streamOptions, "include_usage"),
            ReturnTokenIds = Boolean(body, "return_token_ids"),
            GuidedChoice = body["guided_choice"] switch
            {
                null => null,
                JsonArray a when a.Count > 0 && a.All(x => x is JsonValue s && s.GetValueKind() == JsonValueKind.String && s.GetValue<string>().Length > 0)
                    => [.. a.Select(x => x!.GetValue<string>())],
                _ => throw OpenAiError.Invalid("guided_choice", "must be a non-empty array of non-empty strings."),
            },
        };
    }

    /// <summary>The constraint of <c>guided_choice</c> (the reply is exactly one of the strings), or null.</summary>
    public TokenTrie? Constraint(Gym.Models.ITokenizer tokenizer) =>
        GuidedChoice is null ? null : new TokenTrie(GuidedChoice, tokenizer, tokenizer.EndOfTurnId);

    /// <summary>The generation options of one choice, given the prompt's length and the model's context.</summary>
    public GenerationOptions Options(int promptTokens, int context, int topLogProbs, IReadOnlyList<int>? stopTokenIds)
    {
        if (promptTokens >= context)
            throw new OpenAiError(400, $"The prompt has {promptTokens} tokens; the model's context is {context}.", "messages", "context_length_exceeded");
        int room = context - promptTokens;
        if (MaxTokens > room)
            throw new OpenAiError(400, $"max_tokens is {MaxTokens} but the prompt ({promptTokens} tokens) leaves {room} of the model's context of {context}.", "max_tokens", "context_length_exceeded");
        return new GenerationOptions
        {
            MaxNewTokens = MaxTokens ?? room,
            Temperature = Temperature,
            TopP = TopP,
            TopK = TopK,
            StopSequences = Stop,
            StopTokenIds = stopTokenIds,
            TopLogProbs = topLogProbs,
        };
    }

    /// <summary>The sampler seed of choice <paramref name="choice"/>: from the request's seed when it has one, else fresh.</summary>
    public ulong SeedOf(int choice) => Seed is { } s
        ? unchecked((ulong)s * 0x9E3779B97F4A7C15UL + (ulong)choice * 0xBF58476D1CE4E5B9UL)
        : BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    private static IReadOnlyList<string> Stops(JsonNode? stop) => stop switch
    {
        null => [],
        JsonValue v when v.GetValueKind() == JsonValueKind.String => NonEmpty([v.GetValue<string>()]),
        JsonArray a when a.Count <= 4 && a.All(x => x is JsonValue s && s.GetValueKind() == JsonValueKind.String) => NonEmpty([.. a.Select(x => x!.GetValue<string>())]),
        _ => throw OpenAiError.Invalid("stop", "must be a string or an array of at most 4 strings."),
    };

    private static string[] NonEmpty(string[] stops) =>
        stops.Any(s => s.Length == 0) ? throw OpenAiError.Invalid("stop", "stop sequences must not be empty.") : stops;

    public static double? Number(JsonObject o, string name) => o[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
        _ => throw OpenAiError.Invalid(name, "must be a number."),
    };

    public static double? InRange(JsonObject o, string name, double min, double max) => Number(o, name) is { } x
        ? (x >= min && x <= max ? x : throw OpenAiError.Invalid(name, $"{x} is outside [{min}, {max}]."))
        : null;

    public static int? Integer(JsonObject o, string name) => Number(o, name) is { } x
        ? (x == Math.Floor(x) && Math.Abs(x) <= int.MaxValue ? (int)x : throw OpenAiError.Invalid(name, "must be an integer."))
        : null;

    public static long Long(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue(out long x)
        ? x : throw OpenAiError.Invalid(name, "must be an integer.");

    public static bool Boolean(JsonObject o, string name) => o[name] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw OpenAiError.Invalid(name, "must be true or false."),
    };

    public static string? String(JsonObject o, string name) => o[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw OpenAiError.Invalid(name, "must be a string."),
    };
}
