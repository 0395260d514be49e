namespace Gym.Agents.Policy;

/// <summary>Options of <see cref="PolicyAgent"/>; defaults are documented on each property.</summary>
public sealed record PolicyAgentOptions
{
    /// <summary>Past turns shown in the prompt (default 2): a bounded history keeps long episodes in a bounded context.</summary>
    public int HistoryTurns { get; init; } = 2;

    /// <summary>Most tokens per action (default 48).</summary>
    public int MaxNewTokens { get; init; } = 48;

    /// <summary>Sampling temperature; 0 is greedy (default 1).</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Nucleus sampling threshold (default 1: off).</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Top-k sampling (default 0: off).</summary>
    public int TopK { get; init; }

    /// <summary>Constrain responses to the environment's admissible actions when it lists them (default true).</summary>
    public bool ConstrainToAdmissible { get; init; } = true;

    /// <summary>List the admissible actions in the prompt when the environment lists them (default true).</summary>
    public bool ShowAdmissibleActions { get; init; } = true;

    /// <summary>The system message; null renders the default (the environment's action syntax and the answer format), empty omits it.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>Most sequences generated in one batch (default 32).</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>The weights' version, recorded in every token trace (training sets it).</summary>
    public int PolicyVersion { get; init; }

    /// <summary>The file next to a checkpoint that records how its policy renders prompts and acts.</summary>
    public const string FileName = "gym_agent.json";

    private static readonly System.Text.Json.JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };

    /// <summary>Writes these options next to a checkpoint, so evaluation renders prompts as training did.</summary>
    public void Save(string checkpointDirectory) =>
        File.WriteAllText(Path.Combine(checkpointDirectory, FileName), System.Text.Json.JsonSerializer.Serialize(this, Json));

    /// <summary>The options saved with a checkpoint, or null when it has none.</summary>
    public static PolicyAgentOptions? Load(string checkpointDirectory)
    {
        string path = Path.Combine(checkpointDirectory, FileName);
        if (!File.Exists(path))
            return null;
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<PolicyAgentOptions>(File.ReadAllText(path), Json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Path}: {e.Message}", e);
        }
    }
}
