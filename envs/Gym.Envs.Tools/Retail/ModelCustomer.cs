using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace Gym.Envs.Tools.Retail;

/// <summary>
/// A customer played by a model behind any OpenAI-compatible chat API (tau-bench's user simulator): the model is
/// told who it is and what it wants, sees the agent's questions as the other side of the conversation, and replies
/// in a sentence or two. Requests are seeded per episode and question, so a greedy model replies the same way each
/// run. Chosen per task by <c>config.customer</c> (see <see cref="ModelCustomerOptions.Read"/>).
/// </summary>
public sealed class ModelCustomer : ICustomer
{
    // One client per server and model, shared by every episode (a client is thread-safe and pools connections).
    private static readonly ConcurrentDictionary<(Uri, string, string), ChatClient> Clients = new();

    private readonly ChatClient _client;
    private readonly ModelCustomerOptions _options;
    private readonly long _seed;
    private readonly List<ChatMessage> _conversation;

    /// <summary>A customer for one episode.</summary>
    public ModelCustomer(ModelCustomerOptions options, CustomerBrief brief, long seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(brief);
        _options = options;
        _seed = seed;
        _client = Clients.GetOrAdd((options.BaseUrl, options.Model, options.ApiKey), k => new ChatClient(k.Item2, new ApiKeyCredential(k.Item3),
            new OpenAIClientOptions { Endpoint = k.Item1, NetworkTimeout = TimeSpan.FromSeconds(120), RetryPolicy = new ClientRetryPolicy(4) }));
        _conversation = [new SystemChatMessage(Persona(brief))];
    }

    /// <summary>What the model is told about the customer it plays.</summary>
    public static string Persona(CustomerBrief brief)
    {
        ArgumentNullException.ThrowIfNull(brief);
        return $"You are {brief.Name}, a customer of an online shop, talking to its customer-service agent. You wrote: \"{brief.Request}\" " +
            $"Your account's email is {brief.Email}. If asked which order or which zip code, it is about {brief.Detail}. " +
            "Answer the agent's question in one or two short sentences, as the customer. Give only what is asked; never invent ids or details.";
    }

    /// <summary>The conversation so far, the persona first.</summary>
    public IReadOnlyList<ChatMessage> Conversation => _conversation;

    /// <inheritdoc />
    public async ValueTask<string> ReplyAsync(string question, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(question);
        _conversation.Add(new UserChatMessage(question));
        ChatCompletionOptions request = new() { Temperature = (float)_options.Temperature, MaxOutputTokenCount = _options.MaxTokens };
#pragma warning disable OPENAI001 // Seed is marked experimental by the SDK; servers that ignore it are unaffected.
        request.Seed = unchecked((_seed * 1_000_003L) + _conversation.Count);
#pragma warning restore OPENAI001
        ChatCompletion completion = (await _client.CompleteChatAsync(_conversation, request, cancellationToken).ConfigureAwait(false)).Value;
        string reply = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text)).Trim();
        _conversation.Add(new AssistantChatMessage(reply));
        return reply;
    }
}

/// <summary>Where the model customer is served and how it samples.</summary>
public sealed record ModelCustomerOptions
{
    /// <summary>The model id the server knows.</summary>
    public required string Model { get; init; }

    /// <summary>The API's base URL (default: OPENAI_BASE_URL).</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>The API key (OPENAI_API_KEY; local servers need none).</summary>
    public string ApiKey { get; init; } = Environment.GetEnvironmentVariable("OPENAI_API_KEY") is { Length: > 0 } key ? key : "no-key";

    /// <summary>Sampling temperature (default 0).</summary>
    public double Temperature { get; init; }

    /// <summary>Most tokens per reply (default 64).</summary>
    public int MaxTokens { get; init; } = 64;

    /// <summary>
    /// Reads a task's <c>config.customer</c> (<paramref name="c"/>): absent or <c>"scripted"</c> for the scripted
    /// customer (null), or <c>{"model": "...", "baseUrl": "...", "temperature": 0, "maxTokens": 64}</c>; errors name
    /// the task and field.
    /// </summary>
    public static ModelCustomerOptions? Read(string taskId, JsonElement c)
    {
        if (c.ValueKind == JsonValueKind.Undefined || (c.ValueKind == JsonValueKind.String && c.GetString() == "scripted"))
            return null;
        string where = $"Task {taskId}: config.customer";
        if (c.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{where} must be \"scripted\" or {{\"model\", \"baseUrl\", ...}}.");
        foreach (JsonProperty p in c.EnumerateObject())
            if (p.Name is not ("model" or "baseUrl" or "temperature" or "maxTokens"))
                throw new InvalidDataException($"{where}.{p.Name} is not a field (model, baseUrl, temperature, maxTokens).");
        string model = c.TryGetProperty("model", out JsonElement m) && m.ValueKind == JsonValueKind.String && m.GetString() is { Length: > 0 } name
            ? name : throw new InvalidDataException($"{where}.model must be a model id.");
        string? url = c.TryGetProperty("baseUrl", out JsonElement u) ? u.GetString() : Environment.GetEnvironmentVariable("OPENAI_BASE_URL");
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? baseUrl) || baseUrl.Scheme is not ("http" or "https"))
            throw new InvalidDataException($"{where}.baseUrl must be an http(s) URL (or set OPENAI_BASE_URL); got '{url}'.");
        double temperature = c.TryGetProperty("temperature", out JsonElement t)
            ? t.ValueKind == JsonValueKind.Number && t.GetDouble() is >= 0 and <= 2 and var v ? v : throw new InvalidDataException($"{where}.temperature must be a number in [0, 2].")
            : 0;
        int maxTokens = c.TryGetProperty("maxTokens", out JsonElement k)
            ? k.ValueKind == JsonValueKind.Number && k.TryGetInt32(out int n) && n >= 1 ? n : throw new InvalidDataException($"{where}.maxTokens must be a positive integer.")
            : 64;
        return new ModelCustomerOptions { Model = model, BaseUrl = baseUrl, Temperature = temperature, MaxTokens = maxTokens };
    }
}
