using System.Text.Json;

namespace Gym.Core;

/// <summary>One task: which environment, configured how, from which seed, and how it is judged.</summary>
public sealed record TaskSpec
{
    /// <summary>The task id, unique inside its suite.</summary>
    public required string Id { get; init; }

    /// <summary>The id of the environment that runs it.</summary>
    public required string EnvId { get; init; }

    /// <summary>What the agent is asked to do; environments may refine it in their first observation.</summary>
    public string Instruction { get; init; } = "";

    /// <summary>The environment seed: the same task and seed give the same initial state.</summary>
    public long Seed { get; init; }

    /// <summary>The split: "train" or "test" (or any name a suite uses).</summary>
    public string Split { get; init; } = "train";

    /// <summary>The suite this task belongs to ("text/sokoban"), set by the loader.</summary>
    public string Suite { get; init; } = "";

    /// <summary>Free tags for filtering and reports.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Environment configuration, passed through to the environment as JSON.</summary>
    public JsonElement Config { get; init; }

    /// <summary>Step and time limits.</summary>
    public TaskLimits Limits { get; init; } = new();

    /// <summary>Evaluator settings, interpreted by the environment (for example a success threshold).</summary>
    public JsonElement Evaluator { get; init; }

    /// <summary>Reads a string from <see cref="Config"/>, or the default when absent.</summary>
    public string ConfigString(string name, string fallback) =>
        TryConfig(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : fallback;

    /// <summary>Reads an integer from <see cref="Config"/>, or the default when absent.</summary>
    public int ConfigInt(string name, int fallback) =>
        TryConfig(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : fallback;

    /// <summary>Reads a number from <see cref="Config"/>, or the default when absent.</summary>
    public double ConfigDouble(string name, double fallback) =>
        TryConfig(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;

    /// <summary>Reads a boolean from <see cref="Config"/>, or the default when absent.</summary>
    public bool ConfigBool(string name, bool fallback) =>
        TryConfig(name, out JsonElement v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;

    private bool TryConfig(string name, out JsonElement value)
    {
        value = default;
        return Config.ValueKind == JsonValueKind.Object && Config.TryGetProperty(name, out value);
    }
}

/// <summary>Limits of one episode. Null means the environment's default.</summary>
/// <param name="MaxSteps">Steps before truncation.</param>
/// <param name="TimeoutSeconds">Wall-clock seconds for the whole episode before it is aborted.</param>
/// <param name="StepTimeoutSeconds">Wall-clock seconds for one step before the episode is aborted.</param>
public sealed record TaskLimits(int? MaxSteps = null, double? TimeoutSeconds = null, double? StepTimeoutSeconds = null);
