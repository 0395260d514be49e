namespace Gym.Core;

/// <summary>
/// The base of Gym's environments: it owns the episode guard (no step before a reset or after the episode
/// terminated), disposal, and their error text, so a family implements only what is its own:
/// <see cref="ResetCoreAsync"/>, <see cref="StepCoreAsync"/> and, when it holds resources, <see cref="DisposeCoreAsync"/>.
/// </summary>
public abstract class EnvironmentBase : IEnvironment
{
    private bool _running;
    private bool _disposed;

    /// <inheritdoc />
    public abstract EnvSpec Spec { get; }

    /// <summary>Ends the episode without a terminating step (a truncation after which nothing can go on, such as a page that stopped answering).</summary>
    protected void EndEpisode() => _running = false;

    /// <inheritdoc />
    public async ValueTask<Observation> ResetAsync(TaskSpec task, ResetOptions options, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(task);
        cancellationToken.ThrowIfCancellationRequested();
        _running = false;
        Observation observation = await ResetCoreAsync(task, options.Seed ?? task.Seed, cancellationToken).ConfigureAwait(false);
        _running = true;
        return observation;
    }

    /// <inheritdoc />
    public async ValueTask<StepResult> StepAsync(AgentAction action, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(action);
        if (!_running)
            throw new InvalidOperationException($"{Spec.Id}: StepAsync called with no running episode; call ResetAsync first (an episode ends when a step terminates).");
        StepResult result = await StepCoreAsync(action, cancellationToken).ConfigureAwait(false);
        if (result.Terminated)
            _running = false;
        return result;
    }

    /// <summary>Starts an episode of <paramref name="task"/> from <paramref name="seed"/> (the reset's or the task's); returns the first observation.</summary>
    protected abstract ValueTask<Observation> ResetCoreAsync(TaskSpec task, long seed, CancellationToken cancellationToken);

    /// <summary>Applies one action to the running episode.</summary>
    protected abstract ValueTask<StepResult> StepCoreAsync(AgentAction action, CancellationToken cancellationToken);

    /// <summary>Releases what the environment holds (a browser context, a sandbox); called once.</summary>
    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        _running = false;
        await DisposeCoreAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
