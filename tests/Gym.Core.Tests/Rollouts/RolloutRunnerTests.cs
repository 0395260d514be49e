using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Trajectories;
using Microsoft.Extensions.Time.Testing;

namespace Gym.Core.Tests.Rollouts;

[TestFixture]
public sealed class RolloutRunnerTests
{
    private static async Task<(List<EpisodeGroup> Groups, RolloutStatistics Stats)> RunAsync(EnvRegistry registry, IAgent agent, RolloutOptions options, IEnumerable<TaskSpec> tasks, CancellationToken ct = default)
    {
        await using RolloutRunner runner = new(registry, agent, options);
        List<EpisodeGroup> groups = [];
        await foreach (EpisodeGroup g in runner.RunAsync(tasks, ct))
            groups.Add(g);
        return (groups, runner.Statistics);
    }

    [Test, CancelAfter(30_000)]
    public async Task GroupsAreCompleteAndShareTheEnvSeed()
    {
        EnvRegistry registry = TestRegistry.With("test/scripted-v1", () => new ScriptedEnvironment("test/scripted-v1"));
        TaskSpec[] tasks = [.. Enumerable.Range(0, 10).Select(i => TestRegistry.Task($"t{i}", seed: 100 + i))];
        (List<EpisodeGroup> groups, RolloutStatistics stats) = await RunAsync(registry, new ConstantAgent(), new RolloutOptions { GroupSize = 4, MaxConcurrentEpisodes = 3 }, tasks);
        Assert.That(groups, Has.Count.EqualTo(10));
        foreach (EpisodeGroup g in groups)
        {
            Assert.That(g.Episodes.Select(e => e.Attempt).ToArray(), Is.EqualTo(new[] { 0, 1, 2, 3 }));
            Assert.That(g.Episodes.Select(e => e.Seed).Distinct().Single(), Is.EqualTo(g.Task.Seed));
            Assert.That(g.Episodes.Select(e => e.SamplingSeed).Distinct().Count(), Is.EqualTo(4), "sampling seeds differ inside a group");
            Assert.That(g.Episodes.Select(e => e.Group).Distinct().Single(), Is.EqualTo(g.GroupId));
            Assert.That(g.Episodes.All(e => e.Outcome.Success && e.Steps.Count == 3 && e.Outcome.Termination == Termination.Terminated), Is.True);
            Assert.That(g.Episodes[0].Steps[1].Observation.Text, Is.EqualTo("step 1"), "each step records the observation it acted on");
        }
        Assert.That((stats.GroupsCompleted, stats.GroupsDropped, stats.EpisodesCompleted, stats.Steps), Is.EqualTo((10L, 0L, 40L, 120L)));
    }

    [Test, CancelAfter(30_000)]
    public async Task ACrashingEnvIsRetriedOnAFreshEnvironment()
    {
        int created = 0;
        EnvRegistry registry = TestRegistry.With("test/scripted-v1", () =>
        {
            int n = Interlocked.Increment(ref created);
            // The first two environments crash mid-episode.
            return new ScriptedEnvironment("test/scripted-v1", step => n <= 2 && step == 2 ? throw new IOException("browser died") : null);
        });
        (List<EpisodeGroup> groups, RolloutStatistics stats) = await RunAsync(registry, new ConstantAgent(), new RolloutOptions { GroupSize = 2, MaxConcurrentEpisodes = 1, MaxAttempts = 3 }, [TestRegistry.Task("t")]);
        Assert.That(groups, Has.Count.EqualTo(1));
        Assert.That(groups[0].Episodes, Has.Count.EqualTo(2));
        Assert.That(stats.AbortedAttempts, Is.EqualTo(2));
        Assert.That(stats.RecentAbortReasons[0], Does.Contain("browser died"));
        Assert.That(created, Is.EqualTo(3), "each retry gets a fresh environment; the healthy one is reused");
    }

    [Test, CancelAfter(30_000)]
    public async Task AGroupThatCannotCompleteIsDroppedWhole()
    {
        EnvRegistry registry = new();
        registry.Register(new EnvRegistration(new EnvSpec { Id = "test/scripted-v1", Family = "test" }, () => new ScriptedEnvironment("test/scripted-v1")));
        registry.Register(new EnvRegistration(new EnvSpec { Id = "test/broken-v1", Family = "test" }, () => new ScriptedEnvironment("test/broken-v1", _ => throw new InvalidOperationException("always"))));
        TaskSpec[] tasks = [TestRegistry.Task("good"), TestRegistry.Task("bad", "test/broken-v1"), TestRegistry.Task("good2")];
        (List<EpisodeGroup> groups, RolloutStatistics stats) = await RunAsync(registry, new ConstantAgent(), new RolloutOptions { GroupSize = 3, MaxAttempts = 2 }, tasks);
        Assert.That(groups.Select(g => g.Task.Id).Order().ToArray(), Is.EqualTo(new[] { "good", "good2" }));
        Assert.That(stats.GroupsDropped, Is.EqualTo(1));
        Assert.That(stats.GroupsCompleted, Is.EqualTo(2));
    }

    [Test, CancelAfter(30_000)]
    public async Task AHangingStepTimesOutAndIsRetried()
    {
        int created = 0;
        EnvRegistry registry = TestRegistry.With("test/scripted-v1", () =>
        {
            int n = Interlocked.Increment(ref created);
            return new ScriptedEnvironment("test/scripted-v1")
            {
                OnReset = n == 1 ? async (_, ct) => await Task.Delay(Timeout.Infinite, ct) : null,
            };
        });
        // The step timeout runs on a fake clock, moved on until the run ends: no race with the machine's load.
        FakeTimeProvider clock = new();
        RolloutOptions options = new() { StepTimeout = TimeSpan.FromMilliseconds(200), MaxAttempts = 2, TimeProvider = clock };
        Task<(List<EpisodeGroup> Groups, RolloutStatistics Stats)> run = RunAsync(registry, new ConstantAgent(), options, [TestRegistry.Task("t")]);
        while (!run.IsCompleted)
        {
            clock.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(1);
        }
        (List<EpisodeGroup> groups, RolloutStatistics stats) = await run;
        Assert.That(groups, Has.Count.EqualTo(1));
        Assert.That(stats.RecentAbortReasons.Single(), Does.Contain("reset timed out after 0.2 s"));
    }

    [Test, CancelAfter(30_000)]
    public async Task CancellationStopsTheRunPromptly()
    {
        EnvRegistry registry = TestRegistry.With("test/scripted-v1", () => new ScriptedEnvironment("test/scripted-v1") { OnReset = async (_, ct) => await Task.Delay(Timeout.Infinite, ct) });
        using CancellationTokenSource cts = new(TimeSpan.FromMilliseconds(300));
        System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
        await Assert.CatchAsync<OperationCanceledException>(async () => await RunAsync(registry, new ConstantAgent(), new RolloutOptions(), [TestRegistry.Task("t")], cts.Token));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test, CancelAfter(30_000)]
    public async Task InvalidActionsArePenalisedAndRecorded()
    {
        EnvRegistry registry = TestRegistry.With("test/scripted-v1", () => new ScriptedEnvironment("test/scripted-v1", length: 2));
        (List<EpisodeGroup> groups, _) = await RunAsync(registry, new ConstantAgent("jump"), new RolloutOptions(), [TestRegistry.Task("t") with { Limits = new TaskLimits(MaxSteps: 5) }]);
        Episode e = groups.Single().Episodes.Single();
        Assert.That(e.Steps, Has.Count.EqualTo(5));
        Assert.That(e.Outcome.Termination, Is.EqualTo(Termination.Truncated));
        Assert.That(e.InvalidActions, Is.EqualTo(5));
        Assert.That(e.Return, Is.EqualTo(-0.5).Within(1e-12));
    }

    [Test, CancelAfter(30_000)]
    public async Task BatchAgentsReceiveTheWaitingEpisodesTogether()
    {
        EnvRegistry registry = TestRegistry.With("test/scripted-v1", () => new ScriptedEnvironment("test/scripted-v1", length: 4));
        BatchRecorder agent = new();
        TaskSpec[] tasks = [.. Enumerable.Range(0, 4).Select(i => TestRegistry.Task($"t{i}"))];
        (List<EpisodeGroup> groups, _) = await RunAsync(registry, agent, new RolloutOptions { GroupSize = 2, MaxConcurrentEpisodes = 8 }, tasks);
        Assert.That(groups.Sum(g => g.Episodes.Count), Is.EqualTo(8));
        Assert.That(agent.BatchSizes.Sum(), Is.EqualTo(8 * 4));
        Assert.That(agent.BatchSizes.Max(), Is.EqualTo(8), "all eight concurrent episodes were batched together");
    }

    [Test, CancelAfter(30_000)]
    public async Task FamilyConcurrencyLimitsRunningEpisodes()
    {
        int running = 0, peak = 0;
        EnvRegistry registry = TestRegistry.With("test/scripted-v1", () => new ScriptedEnvironment("test/scripted-v1")
        {
            OnReset = async (_, ct) =>
            {
                int now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                await Task.Delay(20, ct);
                Interlocked.Decrement(ref running);
            },
        });
        TaskSpec[] tasks = [.. Enumerable.Range(0, 6).Select(i => TestRegistry.Task($"t{i}"))];
        RolloutOptions options = new() { GroupSize = 2, MaxConcurrentEpisodes = 4, FamilyConcurrency = new Dictionary<string, int> { ["test"] = 1 } };
        (List<EpisodeGroup> groups, _) = await RunAsync(registry, new ConstantAgent(), options, tasks);
        Assert.That(groups, Has.Count.EqualTo(6));
        Assert.That(peak, Is.EqualTo(1));

        peak = 0;
        await RunAsync(registry, new ConstantAgent(), options with { FamilyConcurrency = new Dictionary<string, int>() }, tasks);
        Assert.That(peak, Is.GreaterThan(1), "without a family limit, episodes overlap");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task TheEpisodeDeadlineAbortsAnEpisodeThatRunsTooLong()
    {
        // Every step takes 30 ms of a fake clock and the episode may last 100 ms: the deadline passes mid-episode.
        FakeTimeProvider clock = new();
        EnvRegistry registry = TestRegistry.With("test/scripted-v1", () => new ScriptedEnvironment("test/scripted-v1", step =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(30));
            return null;
        }, length: 50));
        TaskSpec task = TestRegistry.Task("slow") with { Limits = new TaskLimits(MaxSteps: 100, TimeoutSeconds: 0.1) };
        (List<EpisodeGroup> groups, RolloutStatistics stats) = await RunAsync(registry, new ConstantAgent(), new RolloutOptions { MaxAttempts = 2, TimeProvider = clock }, [task]);
        Assert.That(groups, Is.Empty);
        Assert.That(stats.GroupsDropped, Is.EqualTo(1));
        Assert.That(stats.AbortedAttempts, Is.EqualTo(2));
        Assert.That(stats.RecentAbortReasons[0], Does.Contain("episode timed out after 0.1 s"));
    }

    [Test]
    public async Task BadOptionsAndUnknownEnvironmentsAreClearErrors()
    {
        EnvRegistry registry = TestRegistry.With("test/scripted-v1", () => new ScriptedEnvironment("test/scripted-v1"));
        ArgumentOutOfRangeException? e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RolloutRunner(registry, new ConstantAgent(), new RolloutOptions { GroupSize = 0 }));
        Assert.That(e!.Message, Does.Contain("GroupSize"));
        KeyNotFoundException? k = await Assert.ThrowsAsync<KeyNotFoundException>(async () => await RunAsync(registry, new ConstantAgent(), new RolloutOptions(), [TestRegistry.Task("t", "test/missing-v1")]));
        Assert.That(k!.Message, Does.Contain("test/missing-v1").And.Contain("test/scripted-v1"));
    }

    private sealed class BatchRecorder : IBatchAgent
    {
        public List<int> BatchSizes { get; } = [];

        public string Name => "batch";

        public int MaxBatchSize => 16;

        public ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default) => throw new InvalidOperationException("the runner must batch");

        public ValueTask<IReadOnlyList<AgentTurn>> ActBatchAsync(IReadOnlyList<AgentContext> contexts, CancellationToken cancellationToken = default)
        {
            lock (BatchSizes)
                BatchSizes.Add(contexts.Count);
            return new([.. contexts.Select(_ => AgentTurn.FromText("go"))]);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
