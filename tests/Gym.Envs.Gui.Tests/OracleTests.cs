using Gym.Core;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Tasks;
using Gym.Core.Tests;
using Gym.Core.Trajectories;
using Gym.Envs.Gui.Tasks;

namespace Gym.Envs.Gui.Tests;

/// <summary>The oracle solves one task of every kind of the suite's test split through the real applications.</summary>
[TestFixture]
public sealed class OracleTests
{
    [Test, CancelAfter(600_000)]
    public async Task TheOracleSolvesEveryTaskKind()
    {
        EnvRegistry registry = new EnvRegistry().AddGuiEnvironments();
        TaskSuite suite = TaskSuiteLoader.Load("gui/desktop", Path.Combine(TestPaths.Root, "tasks"), registry.Contains);
        TaskSpec[] tasks = [.. suite.Split("test").GroupBy(t => t.Config.GetProperty("kind").GetString()).Select(g => g.First())];
        Assert.That(tasks, Has.Length.EqualTo(GuiTaskKinds.Names.Count));
        Assert.That(suite.Tasks, Has.Count.GreaterThanOrEqualTo(40));
        await using IAgent oracle = registry.Get(GuiEnvironment.Id).OracleFactory!();
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
