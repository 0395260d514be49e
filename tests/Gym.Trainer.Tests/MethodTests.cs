using Gym.Models;
using Gym.Trainer.Advantages;
using Gym.Trainer.Losses;
using Gym.Trainer.Sampling;
using Gym.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Trainer.Tests;

/// <summary>The arithmetic of Reinforce-Ada, TOPR, OPRL and the horizon curriculum, against values worked out by hand.</summary>
[TestFixture]
public sealed class MethodTests
{
    [Test]
    public void ReinforceAdaStopsOnDiversityFormsBalancedGroupsAndUsesEveryRewardForTheBaseline()
    {
        Assert.That(AdaptiveGroups.Done([0, 0, 0, 0], 4, AdaptiveExit.AnyDiversity), Is.False);
        Assert.That(AdaptiveGroups.Done([0, 0, 1, 0], 4, AdaptiveExit.AnyDiversity), Is.True);
        // Balanced: half a group (2) above the mean and half below.
        Assert.That(AdaptiveGroups.Done([0, 0, 1, 0], 4, AdaptiveExit.Balanced), Is.False);
        Assert.That(AdaptiveGroups.Done([0, 1, 0, 1, 0, 0], 4, AdaptiveExit.Balanced), Is.True);

        // 12 samples, 3 successes, a group of 4: the 2 best (successes 2 and 5) and the 2 worst (the last failures, 10 and 11).
        double[] rewards = [0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0];
        Assert.That(AdaptiveGroups.Select(rewards, 4), Is.EqualTo(new[] { 2, 5, 10, 11 }));
        Assert.That(AdaptiveGroups.Select([0.0, 1.0, 0.5], 4), Is.EqualTo(new[] { 0, 1, 2 }), "fewer than a group: all of them");
        Assert.That(AdaptiveGroups.Select([0.2, 0.9, 0.5, 0.1, 0.7], 3), Is.EqualTo(new[] { 1, 3, 4 }), "2 best (0.9, 0.7), 1 worst (0.1)");
        (double mean, double std) = AdaptiveGroups.Baseline(rewards);
        Assert.That(mean, Is.EqualTo(0.25).Within(1e-12));
        Assert.That(std, Is.EqualTo(Math.Sqrt(3 * 0.5625 + 9 * 0.0625) / Math.Sqrt(11)).Within(1e-12));

        // The group's advantages use that baseline: (1 - 0.25) / std for a success, (0 - 0.25) / std for a failure.
        StepTable table = new(4);
        for (int i = 0; i < 4; i++)
        {
            table.Trajectory[i] = i;
            table.EpisodeReward[i] = i < 2 ? 1 : 0;
        }
        double[] a = EpisodeAdvantages.Normalize(table, [(mean, std)], Normalization.MeanStd);
        Assert.That(a[0], Is.EqualTo(0.75 / (std + 1e-6)).Within(1e-9));
        Assert.That(a[3], Is.EqualTo(-0.25 / (std + 1e-6)).Within(1e-9));
    }

    [Test]
    public void ToprPushesPositivesUpPlainlyAndTruncatesTheWeightOfNegatives()
    {
        using DisposeScope scope = NewDisposeScope();
        // Row 0: A = +1, two tokens. Row 1: A = -2, its response is now more likely than when sampled (ratio e^0.5, capped to 1).
        // Row 2: A = -1, its response is less likely (ratio e^-1, used as is).
        Tensor logProb = tensor(new[] { -1f, -2f, -0.5f, 0f, -2f, 0f }, [3, 2]).requires_grad_();
        Tensor behaviour = tensor(new[] { -1.5f, -2f, -1f, 0f, -1f, 0f }, [3, 2]);
        Tensor advantages = tensor(new[] { 1f, 1f, -2f, -2f, -1f, -1f }, [3, 2]);
        Tensor mask = tensor(new[] { 1f, 1f, 1f, 0f, 1f, 0f }, [3, 2]);
        PolicyLossResult r = PolicyLoss.Topr(behaviour, logProb, advantages, mask, LossAggregation.TokenMean);
        double w2 = Math.Exp(-1);
        // Token losses -w A log p: row 0: -(1)(-1) = 1, -(1)(-2) = 2; row 1: -(1)(-2)(-0.5) = -1; row 2: -(w2)(-1)(-2) = -2 w2.
        double expected = (1 + 2 - 1 - 2 * w2) / 4;
        Assert.That(r.Loss.item<float>(), Is.EqualTo(expected).Within(1e-6));
        Assert.That(r.ClipFraction, Is.EqualTo(0.25).Within(1e-6), "one of four tokens had its weight truncated");
        r.Loss.backward();
        // d/d log p = -w A / 4, with w held fixed.
        Assert.That(logProb.grad!.ToArray<float>(), Is.EqualTo(new[] { -0.25f, -0.25f, 0.5f, 0f, (float)(w2 / 4), 0f }).Within(1e-6));
    }

    [Test]
    public void OprlPairsTrajectoriesWithinGroupsAndNormalisesImplicitStepRewards()
    {
        // Group 0: trajectories 0 (R 1, 2 rows), 1 (R 0, 1 row), 2 (R 1, 1 row). Group 1: trajectories 3, 4 (R 0.5 both).
        StepTable table = new(7);
        int[] group = [0, 0, 0, 0, 1, 1, 1], trajectory = [0, 0, 1, 2, 3, 3, 4];
        double[] outcome = [1, 1, 0, 1, 0.5, 0.5, 0.5];
        for (int i = 0; i < 7; i++)
        {
            table.Group[i] = group[i];
            table.Trajectory[i] = trajectory[i];
            table.EpisodeReward[i] = outcome[i];
        }
        // Sorted by outcome (ties by id): 0, 2, 1: the best (0) against the worst (1); group 1 has no preference.
        Assert.That(ProcessRewardModel.Pairs(table), Is.EqualTo(new List<(int, int)> { (0, 1) }));

        double[] rewards = ImplicitStepAdvantages.StepRewards([-1.0, -2.0, -0.5, -3.0, -1.0, -1.0, -1.0], [-1.5, -2.0, -0.5, -2.0, -1.0, -2.0, -1.0], beta: 0.1);
        Assert.That(rewards, Is.EqualTo(new[] { 0.05, 0.0, 0.0, -0.1, 0.0, 0.1, 0.0 }).Within(1e-12));
        double[] a = ImplicitStepAdvantages.Normalize(table, rewards, Normalization.MeanStd);
        // Normalised across each group's rows (group 0: mean -0.0125).
        double mean0 = (0.05 + 0 + 0 - 0.1) / 4;
        double std0 = Math.Sqrt(new[] { 0.05, 0.0, 0.0, -0.1 }.Sum(x => (x - mean0) * (x - mean0)) / 3);
        Assert.That(a[0], Is.EqualTo((0.05 - mean0) / (std0 + 1e-6)).Within(1e-9));
        Assert.That(a[3], Is.EqualTo((-0.1 - mean0) / (std0 + 1e-6)).Within(1e-9));
        double mean1 = 0.1 / 3, std1 = Math.Sqrt((2 * mean1 * mean1 + (0.1 - mean1) * (0.1 - mean1)) / 2);
        Assert.That(a[5], Is.EqualTo((0.1 - mean1) / (std1 + 1e-6)).Within(1e-9));
    }

    [Test]
    public void TheDpoLossIsMinusLogSigmoidOfTheScaledMargin()
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor chosen = tensor(new[] { 1.0f, -0.5f }).requires_grad_();
        Tensor rejected = tensor(new[] { 0.0f, 0.5f });
        Tensor loss = PreferenceLoss.Dpo(chosen, rejected, beta: 0.5);
        // -log σ(0.5) and -log σ(-0.5), averaged.
        double expected = (Math.Log(1 + Math.Exp(-0.5)) + Math.Log(1 + Math.Exp(0.5))) / 2;
        Assert.That(loss.item<float>(), Is.EqualTo(expected).Within(1e-6));
        loss.backward();
        // d/dchosen = -β σ(-β m) / 2 per pair.
        double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        Assert.That(chosen.grad!.ToArray<float>(), Is.EqualTo(new[] { (float)(-0.5 * Sigmoid(-0.5) / 2), (float)(-0.5 * Sigmoid(0.5) / 2) }).Within(1e-6));
    }

    [Test]
    public void TheHorizonGrowsLinearlyFromStartToEnd()
    {
        HorizonCurriculum h = new(Start: 6, End: 16, Iterations: 11);
        Assert.That(Enumerable.Range(1, 13).Select(h.At), Is.EqualTo(new[] { 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 16, 16 }));
        Assert.That(new HorizonCurriculum(4, 9, 1).At(1), Is.EqualTo(9));
        Assert.That(new HorizonCurriculum(5, 8, 3).At(2), Is.EqualTo(7), "6.5 rounds away from zero");
        Assert.Throws<ArgumentOutOfRangeException>(() => h.At(0));
    }
}
