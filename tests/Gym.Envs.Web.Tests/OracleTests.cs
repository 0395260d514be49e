using Gym.Core;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Tasks;
using Gym.Core.Trajectories;
using Gym.Testing;

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
        (IReadOnlyList<Episode> episodes, _, string failures) = await OracleRun.RunAsync(registry, WebEnvironment.Id, tasks);
        Assert.That(episodes, Has.Count.EqualTo(tasks.Length), "no episode was aborted");
        Assert.That(failures, Is.Empty);
    }
}
