using Gym.Core;
using Gym.Core.Checking;
using Gym.Core.Registry;
using Gym.Core.Tasks;
using Gym.Testing;

namespace Gym.Cli.Tests;

/// <summary>The env checker over every environment the gym command registers, on tasks from its suites.</summary>
[TestFixture]
public sealed class ConformanceTests
{
    /// <summary>Tasks per split: the checker drives about 20 resets and 110 steps per task, and a browser or desktop
    /// step costs tens of milliseconds, so the sample is kept small enough to finish beside other work.</summary>
    private const int TasksPerSplit = 2;

    private static readonly EnvRegistry Registry = GymHome.CreateRegistry();

    private static IEnumerable<string> EnvironmentIds() => Registry.All.Select(r => r.Spec.Id);

    // The sweep covers every family, so it needs all the outside programs.
    [TestCaseSource(nameof(EnvironmentIds)), CancelAfter(300_000), Category("Docker"), Category("Chromium"), Category("Xvfb")]
    public async Task EveryRegisteredEnvironmentHasASuiteAndPassesTheEnvChecker(string envId)
    {
        string tasksRoot = Path.Combine(TestPaths.Root, "tasks");
        List<TaskSpec> tasks = [.. TaskSuiteLoader.Discover(tasksRoot)
            .SelectMany(s => TaskSuiteLoader.Load(s, tasksRoot, Registry.Contains).Tasks)
            .Where(t => t.EnvId == envId)];
        Assert.That(tasks, Is.Not.Empty, $"{envId}: no task suite uses it");

        // A sample across splits: the first tasks of each split.
        TaskSpec[] sample = [.. tasks.GroupBy(t => t.Split).SelectMany(g => g.Take(TasksPerSplit))];
        EnvRegistration registration = Registry.All.Single(r => r.Spec.Id == envId);
        IReadOnlyList<string> failures = await EnvChecker.CheckAsync(registration, sample, cancellationToken: TestContext.CurrentContext.CancellationToken);
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }
}

/// <summary>Releases what the tests of this assembly started through <see cref="GymHome"/> (sandbox containers).</summary>
[SetUpFixture]
public sealed class GymHomeCleanup
{
    [OneTimeTearDown]
    public async Task ReleaseAsync() => await GymHome.DisposeAsync();
}
