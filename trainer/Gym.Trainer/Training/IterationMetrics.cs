using Gym.Core.Evaluation;

namespace Gym.Trainer.Training;

/// <summary>One line of <c>metrics.jsonl</c>: what an iteration did.</summary>
public sealed record IterationMetrics
{
    /// <summary>The iteration (1-based).</summary>
    public int Iteration { get; init; }
    /// <summary>Episodes rolled out.</summary>
    public int Episodes { get; init; }
    /// <summary>Success rate of the rollouts (sampled, training split).</summary>
    public double TrainSuccessRate { get; init; }
    /// <summary>Mean episode return of the rollouts.</summary>
    public double MeanReturn { get; init; }
    /// <summary>Mean steps per episode.</summary>
    public double MeanSteps { get; init; }
    /// <summary>Invalid actions over all steps.</summary>
    public double InvalidActionRate { get; init; }
    /// <summary>Groups dropped by the runner.</summary>
    public long DroppedGroups { get; init; }
    /// <summary>Episodes taken from the replay buffer into groups without a success.</summary>
    public int ReplayedEpisodes { get; init; }
    /// <summary>Fraction of groups whose every advantage is zero (no learning signal).</summary>
    public double ZeroAdvantageGroupFraction { get; init; }
    /// <summary>Fraction of step rows whose anchor state is seen once in its group (GiGPO's step advantage is 0 there).</summary>
    public double AnchorSingletonFraction { get; init; }
    /// <summary>Episodes sampled beyond one group per task (Reinforce-Ada adaptive sampling).</summary>
    public int AdaptiveExtraEpisodes { get; init; }
    /// <summary>The step limit of training episodes (horizon curriculum), or null when the suite's limits apply.</summary>
    public int? Horizon { get; init; }
    /// <summary>What the OPRL reward model's training did this iteration, or null.</summary>
    public RewardModelStatistics? RewardModel { get; init; }
    /// <summary>The update's statistics.</summary>
    public required UpdateStatistics Update { get; init; }
    /// <summary>The learning rate of the last optimizer step.</summary>
    public double LearningRate { get; init; }
    /// <summary>Seconds spent in rollouts.</summary>
    public double RolloutSeconds { get; init; }
    /// <summary>Seconds from the rollouts' end to the update's end: rows, advantages (and the reward model), the PPO update.</summary>
    public double IterationUpdateSeconds { get; init; }
    /// <summary>Training tokens per second of the update.</summary>
    public double UpdateTokensPerSecond { get; init; }
    /// <summary>Training time since the run started (resumes included).</summary>
    public double ElapsedSeconds { get; init; }
    /// <summary>Greedy success rate on the evaluation (validation) split, when this iteration evaluated.</summary>
    public double? EvalSuccessRate { get; init; }
    /// <summary>Mean steps per episode on the evaluation split, when this iteration evaluated.</summary>
    public double? EvalMeanSteps { get; init; }
    /// <summary>Whether this iteration's policy became the best so far (and was kept in <c>checkpoints/best/</c>).</summary>
    public bool Best { get; init; }
}

/// <summary>What a run produced.</summary>
/// <param name="Iterations">Iterations completed.</param>
/// <param name="FinalCheckpoint">The last checkpoint (model + optimizer + state).</param>
/// <param name="Evaluation">The last policy's evaluation on the evaluation split.</param>
/// <param name="BestCheckpoint">The policy that scored best on the evaluation split (<c>checkpoints/best/</c>).</param>
/// <param name="Best">Its score and iteration.</param>
public sealed record TrainResult(int Iterations, string FinalCheckpoint, EvaluationReport Evaluation, string BestCheckpoint, ValidationScore Best);
