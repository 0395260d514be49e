namespace Gym.Trainer.Training;

/// <summary>The ARPO replay buffer: successful episodes kept per task and mixed into groups that had none.</summary>
public sealed record ReplaySettings
{
    /// <summary>Whether the buffer is used (default false).</summary>
    public bool Enabled { get; init; }
    /// <summary>Successful episodes kept per task, newest first (default 4).</summary>
    public int PerTask { get; init; } = 4;
    /// <summary>Episodes of a failed group replaced by replayed successes (default 1).</summary>
    public int PerGroup { get; init; } = 1;
}
