namespace Gym.Trainer.Advantages;

/// <summary>The hierarchical combination A = w_episode A_episode + w_step A_step, per row.</summary>
public static class AdvantageCombiner
{
    /// <summary>Combines two per-row advantages (either may be null: it counts as zero).</summary>
    public static double[] Combine(double[]? episode, double[]? step, double episodeWeight = 1.0, double stepWeight = 1.0)
    {
        int count = episode?.Length ?? step?.Length ?? throw new ArgumentException("At least one advantage is needed.");
        if (episode is not null && step is not null && episode.Length != step.Length)
            throw new ArgumentException($"{episode.Length} episode advantages but {step.Length} step advantages.");
        double[] result = new double[count];
        for (int i = 0; i < count; i++)
            result[i] = episodeWeight * (episode?[i] ?? 0) + stepWeight * (step?[i] ?? 0);
        return result;
    }

    /// <summary>
    /// Discounted step returns used directly as step advantages, without grouping (the UI-S1 form), optionally
    /// whitened over the batch.
    /// </summary>
    public static double[] DiscountedReturnAdvantages(StepTable table, double gamma, bool whiten, double epsilon = 1e-6)
    {
        double[] returns = StepAdvantages.DiscountedReturns(table, gamma);
        if (!whiten || returns.Length < 2)
            return returns;
        double mean = returns.Average();
        double std = Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / (returns.Length - 1));
        return [.. returns.Select(r => (r - mean) / (std + epsilon))];
    }

    /// <summary>
    /// Spreads each row's advantage over its response tokens: [rows, length] with the row's value where
    /// <paramref name="responseMask"/> is 1 (prompt and observation tokens stay 0).
    /// </summary>
    public static float[] Broadcast(double[] rowAdvantages, float[] responseMask, int length)
    {
        ArgumentNullException.ThrowIfNull(rowAdvantages);
        ArgumentNullException.ThrowIfNull(responseMask);
        if (responseMask.Length != rowAdvantages.Length * length)
            throw new ArgumentException($"The mask holds {responseMask.Length} entries, not {rowAdvantages.Length} x {length}.");
        float[] tokens = new float[responseMask.Length];
        for (int r = 0; r < rowAdvantages.Length; r++)
        {
            for (int t = 0; t < length; t++)
                tokens[r * length + t] = responseMask[r * length + t] * (float)rowAdvantages[r];
        }
        return tokens;
    }
}
