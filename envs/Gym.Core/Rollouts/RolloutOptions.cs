using Gym.Core.Registry;

namespace Gym.Core.Rollouts;

/// <summary>Options of a <see cref="RolloutRunner"/>. Defaults are documented on each property.</summary>
public sealed record RolloutOptions
{
    /// <summary>Episodes per task, all from the task's env seed (the group). Default 1.</summary>
    public int GroupSize { get; init; } = 1;

    /// <summary>Episodes running at once, over all families. Default: the processor count.</summary>
    public int MaxConcurrentEpisodes { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Episodes running at once per env family (what the machine can hold of browsers, containers, displays).
    /// Families not listed are limited by <see cref="MaxConcurrentEpisodes"/> only.
    /// </summary>
    public IReadOnlyDictionary<string, int> FamilyConcurrency { get; init; } = new Dictionary<string, int>();

    /// <summary>Tries per episode: an aborted episode is retried on a fresh environment up to this many times. Default 3.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Wall-clock limit of one episode when the task sets none. Default 10 minutes.</summary>
    public TimeSpan EpisodeTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Wall-clock limit of one environment step (or reset) when the task sets none. Default 60 s.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Wrappers applied to every environment.</summary>
    public EnvMakeOptions EnvOptions { get; init; } = new();

    /// <summary>Base of the per-episode sampling seeds. Default 0.</summary>
    public long SamplingSeed { get; init; }

    /// <summary>The run id, prefixed to episode and group ids. Default "run".</summary>
    public string RunId { get; init; } = "run";

    /// <summary>The policy version recorded in episodes. Default 0.</summary>
    public int PolicyVersion { get; init; }

    /// <summary>The clock for timeouts (tests substitute it).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Checks every value and says which is wrong.</summary>
    public void Validate()
    {
        if (GroupSize < 1)
            throw new ArgumentOutOfRangeException(nameof(GroupSize), GroupSize, "GroupSize must be at least 1.");
        if (MaxConcurrentEpisodes < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrentEpisodes), MaxConcurrentEpisodes, "MaxConcurrentEpisodes must be at least 1.");
        if (MaxAttempts < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "MaxAttempts must be at least 1.");
        if (EpisodeTimeout <= TimeSpan.Zero || StepTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(EpisodeTimeout), "Timeouts must be positive.");
        foreach ((string family, int limit) in FamilyConcurrency)
        {
            if (limit < 1)
                throw new ArgumentOutOfRangeException(nameof(FamilyConcurrency), limit, $"The concurrency of family '{family}' must be at least 1.");
        }
    }
}
