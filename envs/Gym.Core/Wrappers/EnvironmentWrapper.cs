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

    /// <summary>Applies <paramref name="map"/> to a step result without an extra await when the step completed synchronously.</summary>
    protected static ValueTask<StepResult> Map(ValueTask<StepResult> step, Func<StepResult, StepResult> map)
    {
        if (step.IsCompletedSuccessfully)
            return new ValueTask<StepResult>(map(step.Result));
        return Await(step, map);

        static async ValueTask<StepResult> Await(ValueTask<StepResult> step, Func<StepResult, StepResult> map) => map(await step.ConfigureAwait(false));
    }
}
