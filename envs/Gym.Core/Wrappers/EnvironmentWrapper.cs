namespace Gym.Core.Wrappers;

/// <summary>Base of wrappers: forwards everything to the inner environment and owns it.</summary>
public abstract class EnvironmentWrapper(IEnvironment inner) : IEnvironment
{
    /// <summary>The wrapped environment.</summary>
    protected IEnvironment Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc />
    public virtual EnvSpec Spec => Inner.Spec;

    /// <inheritdoc />
    public virtual ValueTask<Observation> ResetAsync(TaskSpec task, ResetOptions options, CancellationToken cancellationToken = default) =>
        Inner.ResetAsync(task, options, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<StepResult> StepAsync(AgentAction action, CancellationToken cancellationToken = default) =>
        Inner.StepAsync(action, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Inner.DisposeAsync();
    }

    /// <summary>
    /// Passes a step result through <see cref="OnStep"/>, without an extra await when the step completed
    /// synchronously (the common case for in-process environments).
    /// </summary>
    protected ValueTask<StepResult> Map(ValueTask<StepResult> step) =>
        step.IsCompletedSuccessfully ? new ValueTask<StepResult>(OnStep(step.Result)) : AwaitAndMap(step);

    private async ValueTask<StepResult> AwaitAndMap(ValueTask<StepResult> step) => OnStep(await step.ConfigureAwait(false));

    /// <summary>Transforms each step result (used with <see cref="Map"/>); the default returns it unchanged.</summary>
    protected virtual StepResult OnStep(StepResult result) => result;
}
