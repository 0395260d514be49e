namespace Gym.Trainer.Advantages;

/// <summary>
/// GiGPO (verl-agent): A = A_episode + w_step * A_step, where A_episode normalises the outcome inside the episode
/// group and A_step normalises discounted step returns inside anchor-state groups.
/// </summary>
public static class GiGpo
{
    /// <summary>The combined advantage of every row.</summary>
    public static double[] Compute(StepTable table, double gamma, Normalization normalization, GroupStatistics episodeStatistics,
        double stepWeight = 1.0, double epsilon = 1e-6)
    {
        double[] episode = EpisodeAdvantages.Normalize(table, episodeStatistics, normalization, epsilon);
        double[] step = StepAdvantages.AnchorGroups(table, StepAdvantages.DiscountedReturns(table, gamma), normalization, epsilon);
        for (int i = 0; i < episode.Length; i++)
            episode[i] += stepWeight * step[i];
        return episode;
    }
}
