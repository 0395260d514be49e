namespace Gym.Core.Trajectories;

/// <summary>How an episode ended.</summary>
public enum Termination
{
    /// <summary>The task really ended (success or failure): no bootstrapping past it.</summary>
    Terminated,
    /// <summary>A limit cut it short (steps, time, context): the state still had a future.</summary>
    Truncated,
    /// <summary>The environment or agent failed; the episode is not usable for training.</summary>
    Aborted,
}

/// <summary>The result of an episode.</summary>
/// <param name="Success">Whether the task was accomplished.</param>
/// <param name="Score">The task score in [0, 1] (1 or 0 for pass/fail tasks).</param>
/// <param name="Termination">How it ended.</param>
/// <param name="Reason">Why it was aborted (null otherwise).</param>
public sealed record Outcome(bool Success, double Score, Termination Termination, string? Reason = null);

/// <summary>One step of an episode: the observation acted on, the action, and what followed.</summary>
/// <param name="Index">The step's index, from 0.</param>
/// <param name="Observation">The observation the action was chosen on (the step's anchor state).</param>
/// <param name="Action">The action taken.</param>
/// <param name="Reward">The step reward r_t.</param>
/// <param name="Terminated">Whether this step ended the task.</param>
/// <param name="Truncated">Whether a limit ended the episode at this step.</param>
/// <param name="Info">The environment's step info.</param>
/// <param name="Trace">The sampled tokens, for model agents.</param>
/// <param name="AgentSeconds">Time the agent took to choose the action.</param>
/// <param name="EnvSeconds">Time the environment took to apply it.</param>
/// <param name="Usage">The tokens a model server counted for the action, for agents that call one.</param>
public sealed record EpisodeStep(
    int Index,
    Observation Observation,
    AgentAction Action,
    double Reward,
    bool Terminated,
    bool Truncated,
    StepInfo Info,
    TokenTrace? Trace,
    double AgentSeconds,
    double EnvSeconds,
    TokenUsage? Usage = null);

/// <summary>A recorded episode: what was run, every step, and how it ended.</summary>
public sealed record Episode
{
    /// <summary>The current schema version of stored episodes.</summary>
    public const int SchemaVersion = 1;

    /// <summary>A unique id ("&lt;run&gt;/&lt;task&gt;/&lt;attempt&gt;").</summary>
    public required string Id { get; init; }

    /// <summary>The suite of the task.</summary>
    public string Suite { get; init; } = "";

    /// <summary>The task id.</summary>
    public required string TaskId { get; init; }

    /// <summary>The environment id.</summary>
    public required string EnvId { get; init; }

    /// <summary>The task's split.</summary>
    public string Split { get; init; } = "";

    /// <summary>The episode group: all episodes of one task from the same env seed.</summary>
    public required string Group { get; init; }

    /// <summary>The environment seed.</summary>
    public long Seed { get; init; }

    /// <summary>The agent's sampling seed.</summary>
    public long SamplingSeed { get; init; }

    /// <summary>The episode's index in its group.</summary>
    public int Attempt { get; init; }

    /// <summary>The policy version that acted (0 for scripted agents).</summary>
    public int PolicyVersion { get; init; }

    /// <summary>The agent's name.</summary>
    public string Agent { get; init; } = "";

    /// <summary>The task instruction.</summary>
    public string Instruction { get; init; } = "";

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<EpisodeStep> Steps { get; init; } = [];

    /// <summary>The observation after the last step (or after reset when there were no steps).</summary>
    public Observation? FinalObservation { get; init; }

    /// <summary>How it ended.</summary>
    public required Outcome Outcome { get; init; }

    /// <summary>When it started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Wall-clock duration, reset included.</summary>
    public double DurationSeconds { get; init; }

    /// <summary>The sum of step rewards.</summary>
    public double Return
    {
        get
        {
            double sum = 0;
            foreach (EpisodeStep step in Steps)
                sum += step.Reward;
            return sum;
        }
    }

    /// <summary>The number of steps whose action was invalid.</summary>
    public int InvalidActions => Steps.Count(s => !s.Info.ActionValid);
}
