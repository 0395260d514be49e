namespace Gym.Trainer.Training;

/// <summary>The optimizer and its schedule.</summary>
public sealed record OptimizerSettings
{
    /// <summary>Peak learning rate (default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Optimizer steps of linear warm-up (default 5).</summary>
    public int WarmupSteps { get; init; } = 5;
    /// <summary>constant, linear or cosine (default constant).</summary>
    public DecayKind Decay { get; init; } = DecayKind.Constant;
    /// <summary>AdamW's decoupled weight decay (default 0).</summary>
    public double WeightDecay { get; init; }
}
