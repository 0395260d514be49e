using Gym.Core.Evaluation;
using Gym.Trainer.Training;

namespace Gym.Trainer.Jobs;

/// <summary>What the main job measured.</summary>
/// <param name="Baselines">The oracle and random agents on the test split of every text suite.</param>
/// <param name="Policies">Each stage's policy on the test split: untrained, after SFT (when there was one), RL last, RL best.</param>
/// <param name="Imitation">What the imitation stages did; null when the config asks for no demonstrations.</param>
/// <param name="Trained">The RL stage's result.</param>
/// <param name="RlSeconds">How long the RL stage took.</param>
/// <param name="Minutes">How long the whole job took.</param>
public sealed record MainJobResult(
    IReadOnlyList<EvaluationReport> Baselines,
    IReadOnlyList<PolicyEvaluation> Policies,
    Imitation? Imitation,
    TrainResult Trained,
    double RlSeconds,
    double Minutes)
{
    /// <summary>The success rate of the policy RL started from (the fine-tuned one, else the untrained one).</summary>
    public double StartRate => Policies[Imitation is null ? 0 : 1].Report.SuccessRate;

    /// <summary>What RL added, best checkpoint against its start, in points.</summary>
    public double RlGainPoints => (Policies[^1].Report.SuccessRate - StartRate) * 100;

    /// <summary>What RL added with the last checkpoint, in points.</summary>
    public double RlLastGainPoints => (Policies[^2].Report.SuccessRate - StartRate) * 100;
}

/// <summary>One stage's policy measured on the test split.</summary>
/// <param name="Stage">Which policy ("after SFT").</param>
/// <param name="Report">Its evaluation.</param>
public sealed record PolicyEvaluation(string Stage, EvaluationReport Report);

/// <summary>What the imitation stages did.</summary>
/// <param name="Demonstrations">Oracle episodes recorded.</param>
/// <param name="Epochs">The fine-tuning epochs.</param>
/// <param name="Seconds">How long both stages took.</param>
public sealed record Imitation(int Demonstrations, IReadOnlyList<SftEpoch> Epochs, double Seconds);
