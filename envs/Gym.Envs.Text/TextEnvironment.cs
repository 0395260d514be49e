using Gym.Core;

namespace Gym.Envs.Text;

/// <summary>
/// Base of the in-process text environments: synchronous steps (returned as completed value tasks) and action
/// normalisation. Subclasses build the world and apply actions.
/// </summary>
public abstract class TextEnvironment : EnvironmentBase
{
    /// <summary>The task of the current episode.</summary>
    protected TaskSpec Task { get; private set; } = null!;

    /// <inheritdoc />
    protected sealed override ValueTask<Observation> ResetCoreAsync(TaskSpec task, long seed, CancellationToken cancellationToken)
    {
        Task = task;
        return new ValueTask<Observation>(Reset(task, seed));
    }

    /// <inheritdoc />
    protected sealed override ValueTask<StepResult> StepCoreAsync(AgentAction action, CancellationToken cancellationToken) =>
        new(Step(Normalize(action.Text)));

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

    /// <summary>The spec of a text environment: family "text".</summary>
    protected static EnvSpec TextSpec(string id, string description, string actionSyntax, int maxSteps) =>
        new() { Id = id, Family = "text", Description = description, ActionSyntax = actionSyntax, MaxSteps = maxSteps };

    /// <summary>The index of a move ("left", or "move left") in <paramref name="moves"/>; -1 when it is none of them.</summary>
    protected static int MoveIndex(string action, string[] moves) =>
        Array.IndexOf(moves, action.StartsWith("move ", StringComparison.Ordinal) ? action[5..] : action);

    /// <summary>Shortens an action for feedback.</summary>
    protected static string Shown(string action) => action.Length > 60 ? action[..60] + "..." : action;
}
