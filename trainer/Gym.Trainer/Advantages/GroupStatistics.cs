using System.Text.Json.Serialization;

namespace Gym.Trainer.Advantages;

/// <summary>Which values a group's mean and standard deviation are taken over.</summary>
public enum GroupStatistics
{
    /// <summary>One value per trajectory (the textbook estimator).</summary>
    [JsonStringEnumMemberName("per-trajectory")] PerTrajectory,
    /// <summary>Every step row of the group (verl-agent's default: a long trajectory weighs more).</summary>
    [JsonStringEnumMemberName("across-steps")] AcrossSteps,
}

/// <summary>How a group normalises its values.</summary>
public enum Normalization
{
    /// <summary>x - mean.</summary>
    [JsonStringEnumMemberName("mean")] Mean,
    /// <summary>(x - mean) / (std + epsilon).</summary>
    [JsonStringEnumMemberName("mean-std")] MeanStd,
}

/// <summary>Mean and unbiased standard deviation per key, in two passes over arrays.</summary>
internal sealed class KeyedMoments
{
    public double[] Mean { get; }
    public double[] Std { get; }
    public int[] Count { get; }

    private KeyedMoments(int keys)
    {
        Mean = new double[keys];
        Std = new double[keys];
        Count = new int[keys];
    }

    /// <summary>Moments of <paramref name="values"/>[i] by <paramref name="keys"/>[i] over rows where <paramref name="include"/> is null or true.</summary>
    public static KeyedMoments Of(int keyCount, int[] keys, double[] values, bool[]? include)
    {
        KeyedMoments m = new(keyCount);
        for (int i = 0; i < keys.Length; i++)
        {
            if (include is null || include[i])
            {
                m.Mean[keys[i]] += values[i];
                m.Count[keys[i]]++;
            }
        }
        for (int k = 0; k < keyCount; k++)
            m.Mean[k] = m.Count[k] > 0 ? m.Mean[k] / m.Count[k] : 0;
        // The second pass on deviations is exact for constant groups, which must give std 0.
        for (int i = 0; i < keys.Length; i++)
        {
            if (include is null || include[i])
            {
                double d = values[i] - m.Mean[keys[i]];
                m.Std[keys[i]] += d * d;
            }
        }
        for (int k = 0; k < keyCount; k++)
            m.Std[k] = m.Count[k] > 1 ? Math.Sqrt(m.Std[k] / (m.Count[k] - 1)) : 0;
        return m;
    }
}
