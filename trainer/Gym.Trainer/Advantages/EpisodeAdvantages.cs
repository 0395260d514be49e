namespace Gym.Trainer.Advantages;

/// <summary>
/// Episode-level advantages from the outcome reward R of each trajectory, normalised inside its episode group.
/// Group statistics are taken per trajectory or across step rows (<see cref="GroupStatistics"/>); a group with a
/// single member gets mean 0 and std 1, as in verl. Results are one value per step row.
/// </summary>
public static class EpisodeAdvantages
{
    /// <summary>GRPO: (R - mean) / (std + epsilon).</summary>
    public static double[] Grpo(StepTable table, GroupStatistics statistics, double epsilon = 1e-6) =>
        Normalize(table, statistics, Normalization.MeanStd, epsilon);

    /// <summary>Dr.GRPO: R - mean (no division by the standard deviation).</summary>
    public static double[] DrGrpo(StepTable table, GroupStatistics statistics) =>
        Normalize(table, statistics, Normalization.Mean, 0);

    /// <summary>Mean or mean-std normalisation of R inside each group.</summary>
    public static double[] Normalize(StepTable table, GroupStatistics statistics, Normalization normalization, double epsilon = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(table);
        KeyedMoments m = Moments(table, statistics);
        double[] result = new double[table.Count];
        for (int i = 0; i < table.Count; i++)
        {
            int g = table.Group[i];
            (double mean, double std) = m.Count[g] == 1 ? (0.0, 1.0) : (m.Mean[g], m.Std[g]);
            result[i] = normalization == Normalization.Mean ? table.EpisodeReward[i] - mean : (table.EpisodeReward[i] - mean) / (std + epsilon);
        }
        return result;
    }

    /// <summary>
    /// Mean or mean-std normalisation of R against given statistics per group (Reinforce-Ada: the mean and standard
    /// deviation of every episode sampled for the group's task, not of the group alone).
    /// </summary>
    public static double[] Normalize(StepTable table, IReadOnlyList<(double Mean, double Std)> baselines, Normalization normalization, double epsilon = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(baselines);
        double[] result = new double[table.Count];
        for (int i = 0; i < table.Count; i++)
        {
            (double mean, double std) = baselines[table.Group[i]];
            result[i] = normalization == Normalization.Mean ? table.EpisodeReward[i] - mean : (table.EpisodeReward[i] - mean) / (std + epsilon);
        }
        return result;
    }

    /// <summary>RLOO: R minus the mean of the other members, (R n - sum) / (n - 1); a single member keeps R.</summary>
    public static double[] Rloo(StepTable table, GroupStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(table);
        KeyedMoments m = Moments(table, statistics);
        double[] result = new double[table.Count];
        for (int i = 0; i < table.Count; i++)
        {
            int g = table.Group[i], n = m.Count[g];
            result[i] = n > 1 ? (table.EpisodeReward[i] * n - m.Mean[g] * n) / (n - 1) : table.EpisodeReward[i];
        }
        return result;
    }

    /// <summary>REINFORCE++ with a group baseline: R - group mean, then whitened over the whole batch of rows.</summary>
    public static double[] ReinforcePlusPlus(StepTable table, GroupStatistics statistics, double epsilon = 1e-6)
    {
        double[] centred = DrGrpo(table, statistics);
        if (centred.Length < 2)
            return centred;
        double mean = centred.Average();
        double variance = centred.Sum(a => (a - mean) * (a - mean)) / (centred.Length - 1);
        double std = Math.Sqrt(variance);
        for (int i = 0; i < centred.Length; i++)
            centred[i] = (centred[i] - mean) / (std + epsilon);
        return centred;
    }

    private static KeyedMoments Moments(StepTable table, GroupStatistics statistics)
    {
        int groups = table.Count == 0 ? 0 : table.Group.Max() + 1;
        bool[]? include = null;
        if (statistics == GroupStatistics.PerTrajectory)
        {
            // One value per trajectory: its first row.
            include = new bool[table.Count];
            for (int i = 0; i < table.Count; i++)
                include[i] = i == 0 || table.Trajectory[i] != table.Trajectory[i - 1];
        }
        return KeyedMoments.Of(groups, table.Group, table.EpisodeReward, include);
    }
}
