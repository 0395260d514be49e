namespace Gym.Core;

/// <summary>Describes a registered environment.</summary>
public sealed record EnvSpec
{
    /// <summary>The id, "family/name-vN" (for example "text/sokoban-v1").</summary>
    public required string Id { get; init; }

    /// <summary>The family: text, web, gui, tools or code. Resource pools and concurrency limits are per family.</summary>
    public required string Family { get; init; }

    /// <summary>A one-line description.</summary>
    public string Description { get; init; } = "";

    /// <summary>The action syntax, as text a prompt can include.</summary>
    public string ActionSyntax { get; init; } = "";

    /// <summary>The default step limit of an episode (a task may set its own).</summary>
    public int MaxSteps { get; init; } = 50;

    /// <summary>The family part of an id ("text" of "text/sokoban-v1").</summary>
    public static string FamilyOf(string envId)
    {
        ArgumentException.ThrowIfNullOrEmpty(envId);
        int slash = envId.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? envId[..slash] : envId;
    }
}
