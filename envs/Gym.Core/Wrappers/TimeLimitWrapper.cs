namespace Gym.Core.Wrappers;

/// <summary>
/// Truncates an episode after the task's step limit (or the environment's default). A step that both
/// terminates and reaches the limit is terminated, not truncated: the task really ended.
/// </summary>
public sealed class TimeLimitWrapper(IEnvironment inner) : EnvironmentWrapper(inner)
{
    private int _maxSteps;
    private int _steps;

    /// <summary>The step limit of the current episode.</summary>
    public int MaxSteps => _maxSteps;

    /// <inheritdoc />
    public override ValueTask<Observation> ResetAsync(TaskSpec task, ResetOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        _maxSteps = task.Limits.MaxSteps ?? Spec.MaxSteps;
        _steps = 0;
        return base.ResetAsync(task, options, cancellationToken);
    }

    /// <inheritdoc />
    public override ValueTask<StepResult> StepAsync(AgentAction action, CancellationToken cancellationToken = default)
    {
        _steps++;
        return Map(base.StepAsync(action, cancellationToken));
    }

    /// <inheritdoc />
    protected override StepResult OnStep(StepResult result) =>
        _steps >= _maxSteps && !result.Done ? result with { Truncated = true } : result;
}
