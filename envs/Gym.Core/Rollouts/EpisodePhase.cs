namespace Gym.Core.Rollouts;

/// <summary>What an episode is waiting for; abort reasons name it.</summary>
public enum EpisodePhase
{
    /// <summary>The environment's reset.</summary>
    Reset,

    /// <summary>The agent's turn.</summary>
    Agent,

    /// <summary>The environment's step.</summary>
    Step,
}
