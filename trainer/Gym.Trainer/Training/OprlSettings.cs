namespace Gym.Trainer.Training;

/// <summary>OPRL: an implicit process reward model trained by trajectory-level DPO beside the policy (estimator oprl).</summary>
public sealed record OprlSettings
{
    /// <summary>β of the DPO objective and of the implicit step rewards β log(π_φ / π_old) (default 0.1).</summary>
    public double Beta { get; init; } = 0.1;
    /// <summary>The reward model's learning rate (default 1e-4).</summary>
    public double LearningRate { get; init; } = 1e-4;
    /// <summary>Preference pairs per optimizer step of the reward model (default 8).</summary>
    public int PairsPerStep { get; init; } = 8;
}
