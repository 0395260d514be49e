namespace Gym.Trainer.Advantages;

/// <summary>Step-level advantages: discounted step returns and GiGPO's anchor-state groups.</summary>
public static class StepAdvantages
{
    /// <summary>G_t = r_t + gamma G_{t+1} inside each trajectory (the rows of a trajectory are contiguous and in order).</summary>
    public static double[] DiscountedReturns(StepTable table, double gamma)
    {
        ArgumentNullException.ThrowIfNull(table);
        double[] returns = new double[table.Count];
        double next = 0;
        for (int i = table.Count - 1; i >= 0; i--)
        {
            bool lastOfTrajectory = i == table.Count - 1 || table.Trajectory[i + 1] != table.Trajectory[i];
            next = table.Reward[i] + (lastOfTrajectory ? 0 : gamma * next);
            returns[i] = next;
        }
        return returns;
    }

    /// <summary>
    /// GiGPO's step advantage: inside each episode group, rows whose anchor state is identical form a step group,
    /// and each row's return is normalised within it. A step group of one row gets 0 (its own mean).
    /// </summary>
    public static double[] AnchorGroups(StepTable table, double[] returns, Normalization normalization, double epsilon = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(returns);
        int[] keys = StepGroupKeys(table, out int count);
        KeyedMoments m = KeyedMoments.Of(count, keys, returns, null);
        double[] result = new double[table.Count];
        for (int i = 0; i < table.Count; i++)
        {
            int k = keys[i];
            if (m.Count[k] == 1)
                continue;
            double centred = returns[i] - m.Mean[k];
            result[i] = normalization == Normalization.Mean ? centred : centred / (m.Std[k] + epsilon);
        }
        return result;
    }

    // Dense ids of (group, anchor) pairs.
    private static int[] StepGroupKeys(StepTable table, out int count)
    {
        Dictionary<long, int> ids = new(table.Count);
        int[] keys = new int[table.Count];
        for (int i = 0; i < table.Count; i++)
        {
            long pair = ((long)table.Group[i] << 32) | (uint)table.Anchor[i];
            if (!ids.TryGetValue(pair, out int id))
                ids[pair] = id = ids.Count;
            keys[i] = id;
        }
        count = ids.Count;
        return keys;
    }
}
