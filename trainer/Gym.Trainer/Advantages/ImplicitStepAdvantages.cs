namespace Gym.Trainer.Advantages;

/// <summary>
/// OPRL's step-level advantages (Liu et al., 2025): the implicit step reward of a step is r_t = β log(π_φ(a_t | s_t) /
/// π_old(a_t | s_t)), where π_φ is the process reward model and π_old the policy that acted; the rewards are
/// normalised across the step rows of each episode group. They need no repeated states, unlike GiGPO's anchor groups.
/// </summary>
public static class ImplicitStepAdvantages
{
    /// <summary>r_t = β (log π_φ(a_t) - log π_old(a_t)) per row, from the log-probabilities of the step's whole response.</summary>
    public static double[] StepRewards(IReadOnlyList<double> rewardModelLogProbs, IReadOnlyList<double> oldLogProbs, double beta)
    {
        ArgumentNullException.ThrowIfNull(rewardModelLogProbs);
        ArgumentNullException.ThrowIfNull(oldLogProbs);
        if (rewardModelLogProbs.Count != oldLogProbs.Count)
            throw new ArgumentException($"{rewardModelLogProbs.Count} reward-model log-probabilities for {oldLogProbs.Count} rows.");
        return [.. rewardModelLogProbs.Select((p, i) => beta * (p - oldLogProbs[i]))];
    }

    /// <summary>The step rewards normalised across the rows of each group (a single row gets mean 0 and std 1, as in GRPO).</summary>
    public static double[] Normalize(StepTable table, double[] stepRewards, Normalization normalization, double epsilon = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(stepRewards);
        if (stepRewards.Length != table.Count)
            throw new ArgumentException($"{stepRewards.Length} step rewards for {table.Count} rows.", nameof(stepRewards));
        int groups = table.Count == 0 ? 0 : table.Group.Max() + 1;
        KeyedMoments m = KeyedMoments.Of(groups, table.Group, stepRewards, null);
        double[] result = new double[table.Count];
        for (int i = 0; i < table.Count; i++)
        {
            int g = table.Group[i];
            (double mean, double std) = m.Count[g] == 1 ? (0.0, 1.0) : (m.Mean[g], m.Std[g]);
            result[i] = normalization == Normalization.Mean ? stepRewards[i] - mean : (stepRewards[i] - mean) / (std + epsilon);
        }
        return result;
    }
}
