using System.Text.Json;
using Gym.Testing;
using Gym.Trainer.Advantages;

namespace Gym.Trainer.Tests;

/// <summary>The estimators against tests/golden/advantages.json (verl-agent's reference implementations).</summary>
[TestFixture]
public sealed class GoldenAdvantageTests
{
    /// <summary>The golden values, kept in the repository (tests/golden; see its README for how they were produced).</summary>
    public static string GoldenDirectory => Path.Combine(TestPaths.Root, "tests", "golden");

    private static IEnumerable<TestCaseData> Cases()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(GoldenDirectory, "advantages.json")));
        foreach (JsonElement c in doc.RootElement.GetProperty("cases").EnumerateArray())
            yield return new TestCaseData(c.GetProperty("name").GetString()).SetName($"Golden({c.GetProperty("name").GetString()})");
    }

    [TestCaseSource(nameof(Cases))]
    public void EveryEstimatorMatchesTheReference(string name)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(GoldenDirectory, "advantages.json")));
        JsonElement c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        JsonElement[] rows = [.. c.GetProperty("rows").EnumerateArray()];
        StepTable table = new(rows.Length);
        StepTable.Intern groups = new(), trajectories = new(), anchors = new();
        for (int i = 0; i < rows.Length; i++)
        {
            table.Group[i] = groups[rows[i].GetProperty("group").GetString()!];
            table.Trajectory[i] = trajectories[rows[i].GetProperty("traj").GetString()!];
            table.Anchor[i] = anchors[rows[i].GetProperty("anchor").GetString()!];
            table.Reward[i] = rows[i].GetProperty("reward").GetDouble();
            table.EpisodeReward[i] = rows[i].GetProperty("episode_reward").GetDouble();
        }
        table.Validate();
        JsonElement expected = c.GetProperty("expected");
        double gamma = expected.GetProperty("gamma").GetDouble(), eps = expected.GetProperty("epsilon").GetDouble();

        Dictionary<string, double[]> ours = new()
        {
            ["step_return"] = StepAdvantages.DiscountedReturns(table, gamma),
            ["episode_mean_norm"] = EpisodeAdvantages.Normalize(table, GroupStatistics.AcrossSteps, Normalization.Mean, eps),
            ["episode_mean_std_norm"] = EpisodeAdvantages.Normalize(table, GroupStatistics.AcrossSteps, Normalization.MeanStd, eps),
            ["gigpo_mean_norm"] = GiGpo.Compute(table, gamma, Normalization.Mean, GroupStatistics.AcrossSteps, 1.0, eps),
            ["gigpo_mean_std_norm"] = GiGpo.Compute(table, gamma, Normalization.MeanStd, GroupStatistics.AcrossSteps, 1.0, eps),
            ["grpo_std_cross_steps"] = EpisodeAdvantages.Grpo(table, GroupStatistics.AcrossSteps, eps),
            ["grpo_std_per_traj"] = EpisodeAdvantages.Grpo(table, GroupStatistics.PerTrajectory, eps),
            ["grpo_nostd_cross_steps"] = EpisodeAdvantages.DrGrpo(table, GroupStatistics.AcrossSteps),
            ["grpo_nostd_per_traj"] = EpisodeAdvantages.DrGrpo(table, GroupStatistics.PerTrajectory),
            ["rloo_cross_steps"] = EpisodeAdvantages.Rloo(table, GroupStatistics.AcrossSteps),
            ["rloo_per_traj"] = EpisodeAdvantages.Rloo(table, GroupStatistics.PerTrajectory),
        };
        List<string> failures = [];
        foreach ((string key, double[] values) in ours)
        {
            double[] reference = [.. expected.GetProperty(key).EnumerateArray().Select(e => e.GetDouble())];
            Assert.That(values, Has.Length.EqualTo(reference.Length), key);
            for (int i = 0; i < values.Length; i++)
            {
                if (Math.Abs(values[i] - reference[i]) > Math.Max(1e-4, 1e-4 * Math.Abs(reference[i])))
                {
                    failures.Add($"{key}[{i}]: {values[i]} vs {reference[i]}");
                    break;
                }
            }
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        Assert.That(ours.Keys, Is.EquivalentTo(expected.EnumerateObject().Select(p => p.Name).Where(n => n is not "gamma" and not "epsilon")));
    }
}
