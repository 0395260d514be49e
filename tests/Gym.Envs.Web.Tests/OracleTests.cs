using Gym.Core;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Tasks;
using Gym.Core.Tests;
using Gym.Core.Trajectories;

namespace Gym.Envs.Web.Tests;

/// <summary>The oracle solves every widget type through real Chromium, acting on the ids the observation shows.</summary>
[TestFixture]
public sealed class OracleTests
{
    [Test, CancelAfter(600_000)]
    public async Task TheOracleSolvesEveryWidgetType()
    {
        EnvRegistry registry = new EnvRegistry().AddWebEnvironments();
        TaskSuite suite = TaskSuiteLoader.Load("web/widgets", Path.Combine(TestPaths.Root, "tasks"), registry.Contains);
        TaskSpec[] tasks = [.. suite.Split("test").GroupBy(t => t.Config.GetProperty("widget").GetString()).Select(g => g.First())];
        Assert.That(tasks, Has.Length.GreaterThanOrEqualTo(20));
        await using IAgent oracle = registry.Get(WebEnvironment.Id).OracleFactory!();
        List<Episode> episodes = [];
        await using (RolloutRunner runner = new(registry, oracle, new RolloutOptions { MaxConcurrentEpisodes = 2, MaxAttempts = 1 }))
        {
            await foreach (EpisodeGroup g in runner.RunAsync(tasks))
                episodes.AddRange(g.Episodes);
        }
        string failures = string.Join("\n\n", episodes.Where(e => !e.Outcome.Success).Select(e =>
            $"{e.TaskId}: {e.Outcome.Termination}\n" + string.Join("\n", e.Steps.Select(s => $"  {s.Action.Text} -> {s.Info.Error}")) + "\n" + (e.FinalObservation?.Text ?? e.Steps.LastOrDefault()?.Observation.Text)));
        Assert.That(episodes, Has.Count.EqualTo(tasks.Length), "no episode was aborted");
        Assert.That(failures, Is.Empty);
    }
}
