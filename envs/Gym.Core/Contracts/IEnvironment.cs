namespace Gym.Core;

/// <summary>
/// One environment instance; it runs one episode at a time. Semantics follow Gymnasium:
/// <see cref="ResetAsync"/> starts an episode of a task from a seed, <see cref="StepAsync"/> applies one action
/// and reports reward, termination (a real end of the task) and truncation (a limit) separately.
/// Invalid actions never throw: they come back as <see cref="StepInfo.ActionValid"/> = false with feedback.
/// </summary>
public interface IEnvironment : IAsyncDisposable
{
    /// <summary>What this environment is: id, family, action syntax, limits.</summary>
    EnvSpec Spec { get; }

    /// <summary>Starts an episode of <paramref name="task"/>; the same task and seed give the same initial state.</summary>
    ValueTask<Observation> ResetAsync(TaskSpec task, ResetOptions options, CancellationToken cancellationToken = default);

    /// <summary>Applies one action to the running episode.</summary>
    ValueTask<StepResult> StepAsync(AgentAction action, CancellationToken cancellationToken = default);
}

/// <summary>Options of one reset.</summary>
/// <param name="Seed">The environment seed; null takes the task's own seed.</param>
public readonly record struct ResetOptions(long? Seed = null);

/// <summary>The Gymnasium 5-tuple of one step.</summary>
public sealed record StepResult(Observation Observation, double Reward, bool Terminated, bool Truncated, StepInfo Info)
{
    /// <summary>True when the episode is over, for either reason.</summary>
    public bool Done => Terminated || Truncated;
}
