using Gym.Core;

namespace Gym.Envs.Text;

/// <summary>
/// Base of the in-process text environments: synchronous steps (returned as completed value tasks), the
/// reset/step/dispose state checks, and action normalisation. Subclasses build the world and apply actions.
/// </summary>
public abstract class TextEnvironment : IEnvironment
{
    private bool _disposed;
    private bool _running;

    /// <inheritdoc />
    public abstract EnvSpec Spec { get; }

    /// <summary>The task of the current episode.</summary>
    protected TaskSpec Task { get; private set; } = null!;

    /// <inheritdoc />
    public ValueTask<Observation> ResetAsync(TaskSpec task, ResetOptions options, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(task);
        cancellationToken.ThrowIfCancellationRequested();
        Task = task;
        Observation observation = Reset(task, options.Seed ?? task.Seed);
        _running = true;
        return new ValueTask<Observation>(observation);
    }

    /// <inheritdoc />
    public ValueTask<StepResult> StepAsync(AgentAction action, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(action);
        if (!_running)
            throw new InvalidOperationException($"{Spec.Id}: StepAsync called with no running episode; call ResetAsync first (an episode ends when a step terminates).");
        StepResult result = Step(Normalize(action.Text));
        if (result.Terminated)
            _running = false;
        return new ValueTask<StepResult>(result);
    }

    /// <summary>Builds the world of <paramref name="task"/> from <paramref name="seed"/>; returns the first observation.</summary>
    protected abstract Observation Reset(TaskSpec task, long seed);

    /// <summary>Applies one normalised action (trimmed, lower case, single spaces).</summary>
    protected abstract StepResult Step(string action);

    /// <summary>Trims, lower-cases and collapses whitespace; strips one trailing period.</summary>
    public static string Normalize(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return "";
        string s = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        return s.EndsWith('.') ? s[..^1] : s;
    }

    /// <summary>Shortens an action for feedback.</summary>
    protected static string Shown(string action) => action.Length > 60 ? action[..60] + "..." : action;

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _running = false;
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
