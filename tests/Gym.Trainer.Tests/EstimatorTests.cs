using Gym.Trainer.Advantages;

namespace Gym.Trainer.Tests;

[TestFixture]
public sealed class EstimatorTests
{
    // Two trajectories of one group: t0 has 3 turns and terminates, t1 has 2 turns and is truncated.
    private static StepTable Table()
    {
        StepTable t = new(5);
        int[] traj = [0, 0, 0, 1, 1];
        double[] reward = [0, 0, 1, 0, 0];
        for (int i = 0; i < 5; i++)
        {
            t.Trajectory[i] = traj[i];
            t.Reward[i] = reward[i];
            t.Anchor[i] = i;
        }
        return t;
    }

    [Test]
    public void TurnGaeBootstrapsTruncationButNotTermination()
    {
        StepTable table = Table();
        double[] values = [0.5, 0.6, 0.7, 0.2, 0.3];
        (double[] a, double[] returns) = TurnGae.Compute(table, values, new Dictionary<int, double> { [1] = 0.9 },
            new Dictionary<int, bool> { [0] = true, [1] = false }, gamma: 0.9, lambda: 0.8);
        // t0, last turn (terminated): δ = 1 + 0 - 0.7.
        Assert.That(a[2], Is.EqualTo(0.3).Within(1e-12));
        // t0 turn 1: δ = 0 + 0.9*0.7 - 0.6 = 0.03; A = 0.03 + 0.72*0.3.
        Assert.That(a[1], Is.EqualTo(0.03 + 0.72 * 0.3).Within(1e-12));
        // t1, last turn (truncated): bootstraps from V(final) = 0.9: δ = 0 + 0.81 - 0.3.
        Assert.That(a[4], Is.EqualTo(0.51).Within(1e-12));
        Assert.That(returns[4], Is.EqualTo(0.81).Within(1e-12));
        Assert.Throws<ArgumentException>(() => TurnGae.Compute(table, values, new Dictionary<int, double>(), new Dictionary<int, bool> { [0] = true, [1] = false }, 0.9, 0.8));
    }

    [Test]
    public void CombinationAndBroadcastToResponseTokens()
    {
        double[] combined = AdvantageCombiner.Combine([1, 2], [10, 20], episodeWeight: 1, stepWeight: 0.5);
        Assert.That(combined, Is.EqualTo(new double[] { 6, 12 }));
        float[] tokens = AdvantageCombiner.Broadcast(combined, [0, 1, 1, 0, 0, 1, 0, 0], 4);
        Assert.That(tokens, Is.EqualTo(new float[] { 0, 6, 6, 0, 0, 12, 0, 0 }));
        double[] returns = AdvantageCombiner.DiscountedReturnAdvantages(Table(), 0.5, whiten: false);
        Assert.That(returns, Is.EqualTo(new double[] { 0.25, 0.5, 1, 0, 0 }));
    }

    [Test]
    public void RloosAndReinforcePlusPlusBehaveOnKnownGroups()
    {
        StepTable t = new(4);
        int[] traj = [0, 1, 2, 3];
        double[] r = [1, 0, 0, 1];
        for (int i = 0; i < 4; i++)
        {
            t.Trajectory[i] = traj[i];
            t.EpisodeReward[i] = r[i];
        }
        Assert.That(EpisodeAdvantages.Rloo(t, GroupStatistics.PerTrajectory), Is.EqualTo(new[] { 1 - 1.0 / 3, -2.0 / 3, -2.0 / 3, 1 - 1.0 / 3 }).Within(1e-12));
        double[] rpp = EpisodeAdvantages.ReinforcePlusPlus(t, GroupStatistics.PerTrajectory);
        Assert.That(rpp.Average(), Is.EqualTo(0).Within(1e-12));
        Assert.That(rpp[0], Is.GreaterThan(0));
    }
}
