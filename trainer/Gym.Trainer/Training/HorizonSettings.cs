namespace Gym.Trainer.Training;

/// <summary>A TTI-style horizon curriculum: the step limit of training episodes grows from start to end.</summary>
public sealed record HorizonSettings
{
    /// <summary>The step limit at the first iteration.</summary>
    public int Start { get; init; } = 8;
    /// <summary>The step limit once grown.</summary>
    public int End { get; init; } = 30;
    /// <summary>Iterations over which it grows linearly (default 20).</summary>
    public int Iterations { get; init; } = 20;
}
