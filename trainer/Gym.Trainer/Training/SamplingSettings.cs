using Gym.Trainer.Sampling;

namespace Gym.Trainer.Training;

/// <summary>Reinforce-Ada adaptive sampling: tasks whose group has no reward diversity are sampled again.</summary>
public sealed record SamplingSettings
{
    /// <summary>Whether tasks without reward diversity are sampled again (default false: one group per task).</summary>
    public bool Adaptive { get; init; }
    /// <summary>Most episodes sampled for one task in an iteration, the first group included (default 32).</summary>
    public int MaxEpisodesPerTask { get; init; } = 32;
    /// <summary>"any-diversity" (stop once rewards differ) or "balanced" (once half a group lies on each side of the mean; default any-diversity).</summary>
    public AdaptiveExit Exit { get; init; } = AdaptiveExit.AnyDiversity;
}
