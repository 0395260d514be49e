namespace Gym.Trainer.Sampling;

/// <summary>
/// A TTI-style curriculum over the interaction horizon (Shen et al., 2025): training episodes may take at most
/// <see cref="Start"/> steps at first, and the limit grows linearly to <see cref="End"/> over
/// <see cref="Iterations"/> iterations (then stays there). A task's own limit, when smaller, still applies.
/// Evaluation always runs at the suite's limits.
/// </summary>
/// <param name="Start">The step limit at iteration 1.</param>
/// <param name="End">The step limit once the curriculum is over.</param>
/// <param name="Iterations">Iterations over which it grows.</param>
public sealed record HorizonCurriculum(int Start, int End, int Iterations)
{
    /// <summary>The step limit of training episodes at <paramref name="iteration"/> (1-based).</summary>
    public int At(int iteration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iteration, 1);
        if (Iterations <= 1 || iteration >= Iterations)
            return End;
        double progress = (iteration - 1) / (double)(Iterations - 1);
        return (int)Math.Round(Start + (End - Start) * progress, MidpointRounding.AwayFromZero);
    }
}
