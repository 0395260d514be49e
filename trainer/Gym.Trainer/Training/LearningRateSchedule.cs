using System.Text.Json.Serialization;

namespace Gym.Trainer.Training;

/// <summary>The shape of the decay after warm-up.</summary>
public enum DecayKind
{
    /// <summary>No decay.</summary>
    [JsonStringEnumMemberName("constant")] Constant,
    /// <summary>Linear to <see cref="LearningRateSchedule.MinimumFactor"/> at the last step.</summary>
    [JsonStringEnumMemberName("linear")] Linear,
    /// <summary>Half a cosine down to <see cref="LearningRateSchedule.MinimumFactor"/> at the last step.</summary>
    [JsonStringEnumMemberName("cosine")] Cosine,
}

/// <summary>
/// Linear warm-up from 0 over <see cref="WarmupSteps"/>, then a constant, linear or cosine decay to
/// <see cref="MinimumFactor"/> x the peak at <see cref="TotalSteps"/>.
/// </summary>
/// <param name="PeakLearningRate">The rate after warm-up.</param>
/// <param name="WarmupSteps">Steps of linear warm-up.</param>
/// <param name="TotalSteps">Steps of the whole schedule.</param>
/// <param name="Decay">The decay shape.</param>
/// <param name="MinimumFactor">The final rate as a fraction of the peak.</param>
public sealed record LearningRateSchedule(double PeakLearningRate, int WarmupSteps = 0, int TotalSteps = 1, DecayKind Decay = DecayKind.Constant, double MinimumFactor = 0.0)
{
    /// <summary>The learning rate of step <paramref name="step"/> (0-based).</summary>
    public double At(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (WarmupSteps > 0 && step < WarmupSteps)
            return PeakLearningRate * (step + 1) / WarmupSteps;
        if (Decay == DecayKind.Constant || TotalSteps <= WarmupSteps)
            return PeakLearningRate;
        double progress = Math.Clamp((double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps - 1), 0, 1);
        double factor = Decay == DecayKind.Linear ? 1 - progress : 0.5 * (1 + Math.Cos(Math.PI * progress));
        return PeakLearningRate * (MinimumFactor + (1 - MinimumFactor) * factor);
    }
}
