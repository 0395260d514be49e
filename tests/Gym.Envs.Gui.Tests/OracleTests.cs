using Gym.Core;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Tasks;
using Gym.Core.Trajectories;
using Gym.Envs.Gui.Tasks;
using Gym.Testing;

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
        (IReadOnlyList<Episode> episodes, _, string failures) = await OracleRun.RunAsync(registry, GuiEnvironment.Id, tasks);
        Assert.That(episodes, Has.Count.EqualTo(tasks.Length), "no episode was aborted");
        Assert.That(failures, Is.Empty);
    }
}
