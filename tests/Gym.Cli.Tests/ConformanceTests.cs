using Gym.Core;
using Gym.Core.Checking;
using Gym.Core.Registry;
using Gym.Core.Tasks;

namespace Gym.Cli.Tests;

/// <summary>The env checker over every environment the gym command registers, on tasks from its suites.</summary>
[TestFixture]
public sealed class ConformanceTests
{
    [Test, CancelAfter(300_000)]
    public async Task EveryRegisteredEnvironmentHasASuiteAndPassesTheEnvChecker()
    {
        EnvRegistry registry = GymHome.CreateRegistry();
        string tasksRoot = Path.Combine(Gym.Core.Tests.TestPaths.Root, "tasks");
        List<TaskSpec> allTasks = [.. TaskSuiteLoader.Discover(tasksRoot).SelectMany(s => TaskSuiteLoader.Load(s, tasksRoot, registry.Contains).Tasks)];
        List<string> failures = [];
        foreach (EnvRegistration registration in registry.All)
        {
            List<TaskSpec> tasks = [.. allTasks.Where(t => t.EnvId == registration.Spec.Id)];
            if (tasks.Count == 0)
            {
                failures.Add($"{registration.Spec.Id}: no task suite uses it");
                continue;
            }
            // A sample across splits: the first tasks of each split.
            TaskSpec[] sample = [.. tasks.GroupBy(t => t.Split).SelectMany(g => g.Take(5))];
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            failures.AddRange(await EnvChecker.CheckAsync(registration, sample));
            // Which environment a slow or stuck run is in, as it happens.
            TestContext.Progress.WriteLine($"checked {registration.Spec.Id} on {sample.Length} tasks in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
        }
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
