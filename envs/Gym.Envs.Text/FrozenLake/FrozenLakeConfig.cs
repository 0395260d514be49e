namespace Gym.Envs.Text.FrozenLake;

/// <summary>The task config of <c>text/frozenlake-v1</c>.</summary>
public sealed record FrozenLakeConfig
{
    /// <summary>Cells per side of the square map.</summary>
    public int Size { get; init; } = 6;

    /// <summary>The chance that a cell other than start and goal is frozen (else a hole).</summary>
    public double FrozenProbability { get; init; } = 0.8;

    /// <summary>Start top-left and goal bottom-right as in Gymnasium; otherwise both at random.</summary>
    public bool Corners { get; init; }

    /// <summary>End each observation with the player's row and column and the four neighbouring tiles, in a fixed layout.</summary>
    public bool Describe { get; init; }

    /// <summary>A move goes the intended way with probability 1/3 and sideways otherwise, from an RNG seeded by the reset seed.</summary>
    public bool Slippery { get; init; }
}
