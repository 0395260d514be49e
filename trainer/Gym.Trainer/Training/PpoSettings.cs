using Gym.Trainer.Losses;

namespace Gym.Trainer.Training;

/// <summary>The PPO settings as written in a config file.</summary>
public sealed record PpoSettings
{
    /// <summary>Lower clip (default 0.2).</summary>
    public double ClipLow { get; init; } = 0.2;
    /// <summary>Upper clip (default 0.28).</summary>
    public double ClipHigh { get; init; } = 0.28;
    /// <summary>Dual-clip c (default 3).</summary>
    public double ClipRatioC { get; init; } = 3.0;
    /// <summary>token-mean, seq-mean-token-sum, seq-mean-token-mean or seq-mean-token-sum-norm (default token-mean).</summary>
    public LossAggregation Aggregation { get; init; } = LossAggregation.TokenMean;
    /// <summary>Passes over each batch (default 2).</summary>
    public int Epochs { get; init; } = 2;
    /// <summary>Rows per optimizer step (default 64).</summary>
    public int MinibatchSize { get; init; } = 64;
    /// <summary>Entropy bonus (default 0.001).</summary>
    public double EntropyCoefficient { get; init; } = 0.001;
    /// <summary>Gradient-norm clip (default 1).</summary>
    public double MaxGradNorm { get; init; } = 1.0;
    /// <summary>
    /// Recompute the old log-probabilities with the weights at the start of the update instead of using the
    /// rollout's (default true: under constrained decoding the rollout's are those of the constrained distribution,
    /// while the loss scores the full one).
    /// </summary>
    public bool RecomputeOldLogProbs { get; init; } = true;
    /// <summary>Weight of the KL penalty to the frozen initial policy (default 0: off, and no reference is kept).</summary>
    public double KlCoefficient { get; init; }
    /// <summary>k1, abs, k2 or k3 (default k3).</summary>
    public KlEstimator KlEstimator { get; init; } = KlEstimator.K3;
    /// <summary>Weight of the critic's squared error (estimator gae only; default 0.5).</summary>
    public double ValueCoefficient { get; init; } = 0.5;
    /// <summary>ppo (dual-clip PPO) or topr (tapered off-policy REINFORCE; default ppo).</summary>
    public PolicyObjective Objective { get; init; } = PolicyObjective.Ppo;
}
