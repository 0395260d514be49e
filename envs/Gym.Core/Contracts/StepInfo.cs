namespace Gym.Core;

/// <summary>What an environment reports about one step besides the observation and reward.</summary>
public sealed record StepInfo
{
    /// <summary>A valid step with no extras.</summary>
    public static readonly StepInfo Valid = new();

    /// <summary>False when the action could not be parsed or was not admissible.</summary>
    public bool ActionValid { get; init; } = true;

    /// <summary>The error fed back to the model as text, when the action was invalid or failed.</summary>
    public string? Error { get; init; }

    /// <summary>The action as the environment understood it (canonical form), when it parsed.</summary>
    public string? ParsedAction { get; init; }

    /// <summary>True when the task was accomplished (set on the final step).</summary>
    public bool Success { get; init; }

    /// <summary>The task score in [0, 1] when the environment grades partially (set on the final step).</summary>
    public double? Score { get; init; }

    /// <summary>Time the environment spent on the step.</summary>
    public TimeSpan EnvTime { get; init; }

    /// <summary>Environment-specific extras (exit codes, blocked requests...), as plain values.</summary>
    public IReadOnlyDictionary<string, object?> Extras { get; init; } = EmptyExtras;

    /// <summary>Creates the info of an invalid action.</summary>
    public static StepInfo Invalid(string error) => new() { ActionValid = false, Error = error };

    internal static readonly IReadOnlyDictionary<string, object?> EmptyExtras = new Dictionary<string, object?>();
}
