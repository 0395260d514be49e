using System.ClientModel;
using System.ClientModel.Primitives;
using Gym.Core;
using OpenAI;
using OpenAI.Chat;

namespace Gym.Agents.OpenAi;

/// <summary>
/// An agent backed by any OpenAI-compatible chat server (OpenAI, vLLM, SGLang, llama.cpp, ollama, <c>gym serve</c>):
/// the episode so far as chat messages, the environment's tools as native function tools, the reply's text and
/// tool calls as the action. Requests are limited in number at once, retried with exponential backoff on 408, 429
/// and 5xx (honouring Retry-After), bounded by a timeout per attempt, seeded per episode and step, and optionally
/// answered from an on-disk cache so an evaluation replays exactly. Token usage goes into the trajectory.
/// </summary>
public sealed class OpenAiAgent : IAgent
{
    private readonly ChatClient _client;
    private readonly SemaphoreSlim _requests;
    private readonly ResponseCache? _cache;
    private readonly HttpClient _http;

    /// <summary>Creates the agent; nothing is sent until the first action.</summary>
    public OpenAiAgent(OpenAiAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _cache = options.CacheDirectory is { } dir ? new ResponseCache(dir) : null;
        _http = _cache is not null ? new HttpClient(_cache) : new HttpClient();
        // The pipeline's own timeout bounds each attempt; the HttpClient's must not cut retries short.
        _http.Timeout = Timeout.InfiniteTimeSpan;
        OpenAIClientOptions clientOptions = new()
        {
            Endpoint = options.BaseUrl,
            NetworkTimeout = options.RequestTimeout,
            RetryPolicy = new ClientRetryPolicy(options.MaxRetries),
            Transport = new HttpClientPipelineTransport(_http),
        };
        _client = new ChatClient(options.Model, new ApiKeyCredential(options.ApiKey), clientOptions);
        _requests = new SemaphoreSlim(options.MaxConcurrentRequests, options.MaxConcurrentRequests);
    }

    /// <summary>The options.</summary>
    public OpenAiAgentOptions Options { get; }

    /// <inheritdoc />
    public string Name => $"openai:{Options.Model}";

    /// <summary>Requests answered from the cache and sent to the server (both 0 without a cache).</summary>
    public (long Hits, long Misses) CacheCounts => _cache is null ? (0, 0) : (_cache.Hits, _cache.Misses);

    /// <inheritdoc />
    public async ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        List<OpenAI.Chat.ChatMessage> messages = ChatHistory.Messages(context, Options);
        ChatCompletionOptions request = new()
        {
            Temperature = (float)Options.Temperature,
            TopP = (float)Options.TopP,
            MaxOutputTokenCount = Options.MaxTokens,
        };
#pragma warning disable OPENAI001 // Seed is marked experimental by the SDK; servers that ignore it are unaffected.
        request.Seed = unchecked((context.SamplingSeed * 1_000_003L) + context.StepIndex);
#pragma warning restore OPENAI001
        if (Options.GuidedChoice && context.Observation.AdmissibleActions.Count > 0)
        {
#pragma warning disable SCME0001 // Patch (extra request fields) is marked experimental by the SDK.
            request.Patch.Set("$.guided_choice"u8, BinaryData.FromObjectAsJson(context.Observation.AdmissibleActions));
#pragma warning restore SCME0001
        }
        foreach (ToolSpec tool in context.Observation.Tools)
            request.Tools.Add(ChatTool.CreateFunctionTool(tool.Name, tool.Description, BinaryData.FromString(tool.ParametersSchema)));
        await _requests.WaitAsync(cancellationToken).ConfigureAwait(false);
        ChatCompletion completion;
        try
        {
            completion = (await _client.CompleteChatAsync(messages, request, cancellationToken).ConfigureAwait(false)).Value;
        }
        finally
        {
            _requests.Release();
        }
        string text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
        ToolCall[] calls = [.. completion.ToolCalls.Select(c => new ToolCall(c.Id, c.FunctionName, c.FunctionArguments.ToString()))];
        return new AgentTurn(new AgentAction { Text = text, ToolCalls = calls })
        {
            Usage = completion.Usage is { } u ? new TokenUsage(u.InputTokenCount, u.OutputTokenCount) : null,
        };
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        _requests.Dispose();
        return ValueTask.CompletedTask;
    }
}
