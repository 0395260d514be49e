namespace Gym.Agents.OpenAi;

/// <summary>Options of <see cref="OpenAiAgent"/>; defaults are documented on each property.</summary>
public sealed record OpenAiAgentOptions
{
    /// <summary>The model id the server knows.</summary>
    public required string Model { get; init; }

    /// <summary>The API's base URL, e.g. <c>http://127.0.0.1:8000/v1</c> (default: OPENAI_BASE_URL, else OpenAI's).</summary>
    public Uri BaseUrl { get; init; } = new(Environment.GetEnvironmentVariable("OPENAI_BASE_URL") is { Length: > 0 } url ? url : "https://api.openai.com/v1");

    /// <summary>The API key (default: OPENAI_API_KEY; local servers need none).</summary>
    public string ApiKey { get; init; } = Environment.GetEnvironmentVariable("OPENAI_API_KEY") is { Length: > 0 } key ? key : "no-key";

    /// <summary>Sampling temperature (default 0: greedy, so evaluations repeat).</summary>
    public double Temperature { get; init; }

    /// <summary>Nucleus sampling threshold (default 1: off).</summary>
    public double TopP { get; init; } = 1;

    /// <summary>Most tokens per reply (default 512).</summary>
    public int MaxTokens { get; init; } = 512;

    /// <summary>Requests in flight at once, across all episodes (default 8).</summary>
    public int MaxConcurrentRequests { get; init; } = 8;

    /// <summary>Retries of a request answered 408, 429 or 5xx, or lost on the network, with exponential backoff (default 4).</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>How long one attempt of a request may take (default 120 s).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Past turns sent with each request (default 64; older ones are left out and counted in the first message).</summary>
    public int HistoryTurns { get; init; } = 64;

    /// <summary>The system message; null states the environment's action syntax, empty sends none.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>List the environment's admissible actions under each observation, when it lists them (default true).</summary>
    public bool ShowAdmissibleActions { get; init; } = true;

    /// <summary>
    /// Ask the server to reply with exactly one admissible action (the <c>guided_choice</c> extension of vLLM and
    /// <c>gym serve</c>; OpenAI's own API refuses it). Default false.
    /// </summary>
    public bool GuidedChoice { get; init; }

    /// <summary>
    /// These options with the prompt layout and decoding a Gym checkpoint was trained with (its <c>gym_agent.json</c>):
    /// history, system message, admissible actions, constrained decoding, reply length and temperature. A checkpoint
    /// served by <c>gym serve</c> then sees exactly the prompts the local policy agent would give it.
    /// </summary>
    public OpenAiAgentOptions LikeCheckpoint(string checkpointDirectory)
    {
        Policy.PolicyAgentOptions policy = Policy.PolicyAgentOptions.Load(checkpointDirectory)
            ?? throw new ArgumentException($"'{checkpointDirectory}' has no {Policy.PolicyAgentOptions.FileName} to take the prompt layout from.");
        return this with
        {
            HistoryTurns = policy.HistoryTurns,
            SystemPrompt = policy.SystemPrompt,
            ShowAdmissibleActions = policy.ShowAdmissibleActions,
            GuidedChoice = policy.ConstrainToAdmissible,
            MaxTokens = policy.MaxNewTokens,
            Temperature = policy.Temperature,
            TopP = policy.TopP,
        };
    }

    /// <summary>
    /// A directory of recorded responses keyed by the exact request: a request seen before is answered from it
    /// without reaching the server, so an evaluation can be replayed exactly (default null: no cache).
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Checks the values; the message names the field.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Model))
            throw new ArgumentException("The OpenAI agent needs a model name (openai:MODEL).");
        if (Temperature is < 0 or > 2)
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "Temperature must be in [0, 2].");
        if (TopP is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "TopP must be in (0, 1].");
        if (MaxTokens < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxTokens), MaxTokens, "MaxTokens must be at least 1.");
        if (MaxConcurrentRequests < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrentRequests), MaxConcurrentRequests, "MaxConcurrentRequests must be at least 1.");
        if (MaxRetries < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "MaxRetries must be 0 or more.");
        if (HistoryTurns < 0)
            throw new ArgumentOutOfRangeException(nameof(HistoryTurns), HistoryTurns, "HistoryTurns must be 0 or more.");
    }
}
