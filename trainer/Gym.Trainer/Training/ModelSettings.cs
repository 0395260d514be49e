namespace Gym.Trainer.Training;

/// <summary>The policy model to train: a new one of these sizes, or a checkpoint to start from.</summary>
public sealed record ModelSettings
{
    /// <summary>A checkpoint directory to start from (then the sizes below are ignored).</summary>
    public string? Init { get; init; }
    /// <summary>Width of the residual stream (default 64).</summary>
    public int HiddenSize { get; init; } = 64;
    /// <summary>Decoder layers (default 2).</summary>
    public int Layers { get; init; } = 2;
    /// <summary>Query heads (default 4).</summary>
    public int Heads { get; init; } = 4;
    /// <summary>Key/value heads (default 2).</summary>
    public int KvHeads { get; init; } = 2;
    /// <summary>Feed-forward width (default 172).</summary>
    public int IntermediateSize { get; init; } = 172;
    /// <summary>Context length (default 1024).</summary>
    public int MaxPositions { get; init; } = 1024;
    /// <summary>Initialisation seed (default 0).</summary>
    public ulong Seed { get; init; }
}
