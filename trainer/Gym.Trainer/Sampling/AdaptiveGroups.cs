using System.Text.Json.Serialization;

namespace Gym.Trainer.Sampling;

/// <summary>When Reinforce-Ada stops sampling a task.</summary>
public enum AdaptiveExit
{
    /// <summary>Once its episodes differ in reward at all (Reinforce-Ada's "positive-focused" rule for 0/1 rewards).</summary>
    [JsonStringEnumMemberName("any-diversity")] AnyDiversity,
    /// <summary>Once it has half a group of episodes on each side of its mean reward (the "balanced" rule).</summary>
    [JsonStringEnumMemberName("balanced")] Balanced,
}

/// <summary>
/// Reinforce-Ada (Xiong et al., 2025): a task whose group shows no reward diversity is sampled again, a round at a
/// time, up to a cap; then a fixed-size group is formed from everything sampled, with diversity enforced (the upper
/// half from the best episodes, the lower half from the worst), and its advantages use the mean and standard
/// deviation of all the task's samples, not of the group alone.
/// </summary>
public static class AdaptiveGroups
{
    /// <summary>Whether a task with these episode rewards needs no more samples.</summary>
    public static bool Done(IReadOnlyList<double> rewards, int groupSize, AdaptiveExit exit)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        if (rewards.Count == 0)
            return false;
        if (exit == AdaptiveExit.AnyDiversity)
            return rewards.Max() - rewards.Min() > 1e-9;
        double mean = rewards.Average();
        int above = rewards.Count(r => r > mean + 1e-9), below = rewards.Count(r => r < mean - 1e-9);
        return above >= groupSize / 2 && below >= (groupSize + 1) / 2;
    }

    /// <summary>
    /// The indices of the <paramref name="groupSize"/> episodes to train on: all of them when there are no more; else
    /// the ⌈G/2⌉ best and the ⌊G/2⌋ worst by reward (ties keep sampling order), in sampling order.
    /// </summary>
    public static int[] Select(IReadOnlyList<double> rewards, int groupSize)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        ArgumentOutOfRangeException.ThrowIfLessThan(groupSize, 1);
        if (rewards.Count <= groupSize)
            return [.. Enumerable.Range(0, rewards.Count)];
        int[] byReward = [.. Enumerable.Range(0, rewards.Count).OrderByDescending(i => rewards[i]).ThenBy(i => i)];
        int top = (groupSize + 1) / 2;
        return [.. byReward.Take(top).Concat(byReward.Skip(rewards.Count - (groupSize - top))).Order()];
    }

    /// <summary>The baseline of a task: the mean and unbiased standard deviation of every reward sampled for it.</summary>
    public static (double Mean, double Std) Baseline(IReadOnlyList<double> rewards)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        if (rewards.Count == 0)
            throw new ArgumentException("A baseline needs at least one reward.", nameof(rewards));
        double mean = rewards.Average();
        double std = rewards.Count > 1 ? Math.Sqrt(rewards.Sum(r => (r - mean) * (r - mean)) / (rewards.Count - 1)) : 0;
        return (mean, std);
    }
}
