namespace Gym.Trainer.Training;

/// <summary>How the policy acts during rollouts.</summary>
public sealed record AgentSettings
{
    /// <summary>Past turns in the prompt (default 1).</summary>
    public int HistoryTurns { get; init; } = 1;
    /// <summary>Most tokens per action (default 24).</summary>
    public int MaxNewTokens { get; init; } = 24;
    /// <summary>Sampling temperature in rollouts (default 1).</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>Constrain actions to the admissible ones (default true).</summary>
    public bool Constrained { get; init; } = true;
    /// <summary>List the admissible actions in the prompt (default true).</summary>
    public bool ShowAdmissible { get; init; } = true;
    /// <summary>The system message: null for the default, "" for none (shorter prompts train faster).</summary>
    public string? SystemPrompt { get; init; }
}
