using System.Text.Json;
using Gym.Core.Checking;
using Gym.Core.Evaluation;
using Gym.Core.Registry;
using Gym.Core.Tasks;
using Gym.Core.Wrappers;
using Gym.Testing;

namespace Gym.Core.Tests;

[TestFixture]
public sealed class WrapperTests
{
    [Test]
    public async Task TimeLimitTruncatesButATerminatingStepStaysTerminated()
    {
        await using TimeLimitWrapper env = new(new ScriptedEnvironment("test/scripted-v1", length: 3));
        await env.ResetAsync(TestRegistry.Task("t") with { Limits = new TaskLimits(MaxSteps: 2) }, default);
        Assert.That((await env.StepAsync(AgentAction.FromText("go"))).Truncated, Is.False);
        StepResult second = await env.StepAsync(AgentAction.FromText("go"));
        Assert.That((second.Truncated, second.Terminated), Is.EqualTo((true, false)));

        await env.ResetAsync(TestRegistry.Task("t") with { Limits = new TaskLimits(MaxSteps: 3) }, default);
        await env.StepAsync(AgentAction.FromText("go"));
        await env.StepAsync(AgentAction.FromText("go"));
        StepResult third = await env.StepAsync(AgentAction.FromText("go"));
        Assert.That((third.Truncated, third.Terminated), Is.EqualTo((false, true)));
    }

    [Test]
    public async Task PenaltyAndStatistics()
    {
        EpisodeStatisticsWrapper stats = new(new InvalidActionPenaltyWrapper(new ScriptedEnvironment("test/scripted-v1", length: 2), -0.25));
        await stats.ResetAsync(TestRegistry.Task("t"), default);
        Assert.That((await stats.StepAsync(AgentAction.FromText("nope"))).Reward, Is.EqualTo(-0.25));
        await stats.StepAsync(AgentAction.FromText("go"));
        Assert.That(stats.LastEpisode, Is.Null, "the episode is still running");
        await stats.StepAsync(AgentAction.FromText("go"));
        Assert.That(stats.LastEpisode, Is.Not.Null);
        Assert.That((stats.LastEpisode!.Return, stats.LastEpisode.Length, stats.LastEpisode.InvalidActions, stats.LastEpisode.Success), Is.EqualTo((0.75, 3, 1, true)));
        await stats.DisposeAsync();
    }
}

[TestFixture]
public sealed class PassAtKTests
{
    [Test]
    public void MatchesClosedForms()
    {
        Assert.That(PassAtK.PassAt(10, 0, 5), Is.EqualTo(0));
        Assert.That(PassAtK.PassAt(10, 6, 5), Is.EqualTo(1));
        Assert.That(PassAtK.PassAt(5, 1, 1), Is.EqualTo(0.2).Within(1e-12));
        Assert.That(PassAtK.PassAt(4, 2, 2), Is.EqualTo(1 - 1.0 / 6).Within(1e-12));   // 1 - C(2,2)/C(4,2)
        Assert.That(PassAtK.PassHat(4, 2, 2), Is.EqualTo(1.0 / 6).Within(1e-12));      // C(2,2)/C(4,2)
        Assert.That(PassAtK.PassHat(4, 4, 4), Is.EqualTo(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.PassAt(3, 4, 1));
    }
}

[TestFixture]
public sealed class TaskSuiteLoaderTests
{
    private static TaskSuite Parse(string json) =>
        TaskSuiteLoader.Parse(json, "tasks/x/suite.json", "/tmp", "x/suite", id => id.StartsWith("text/", StringComparison.Ordinal));

    [Test]
    public void GeneratesAndListsTasksWithDefaults()
    {
        TaskSuite suite = Parse("""
            { "env": "text/a-v1", "defaults": { "config": { "size": 4, "k": 1 }, "tags": ["d"], "limits": { "maxSteps": 9 } },
              "tasks": [ { "id": "listed", "seed": 5, "split": "test", "config": { "k": 2 }, "tags": ["own"] } ],
              "generate": [ { "split": "train", "seeds": { "from": 10, "count": 3 } } ] }
            """);
        Assert.That(suite.Tasks.Select(t => t.Id).ToArray(), Is.EqualTo(new[] { "listed", "train-10", "train-11", "train-12" }));
        TaskSpec listed = suite.Tasks[0];
        Assert.That((listed.Seed, listed.Split, listed.Config.GetProperty("size").GetInt32(), listed.Config.GetProperty("k").GetInt32(), listed.Limits.MaxSteps), Is.EqualTo((5L, "test", 4, 2, (int?)9)));
        Assert.That(listed.Tags.ToArray(), Is.EqualTo(new[] { "d", "own" }));
        Assert.That(suite.Split("train"), Has.Count.EqualTo(3));
        Assert.Throws<ArgumentException>(() => suite.Split("dev"));
    }

    [TestCase("""{ "env": "text/a-v1", "generate": [ { "split": "test", "seeds": { "from": 0, "count": "50" } } ] }""", "$.generate[0].seeds.count", "expected an integer")]
    [TestCase("""{ "env": "text/a-v1", "tasks": [ { "id": "a" }, { "id": "b", "sead": 3 } ] }""", "$.tasks[1].sead", "unknown field")]
    [TestCase("""{ "env": "text/a-v1", "tasks": [ { "id": "a" }, { "id": "a" } ] }""", "$.tasks[1].id", "duplicate task id")]
    [TestCase("""{ "env": "text/a-v1", "generate": [ { "split": "train", "seeds": { "from": 0, "count": 100 } }, { "split": "validation", "seeds": { "from": 90, "count": 20 } } ] }""",
        "$.generate[1].seeds", "seeds 90..109 of split 'validation' overlap seeds 0..99 of split 'train' ($.generate[0])")]
    [TestCase("""{ "tasks": [ { "id": "a", "env": "web/nope-v1" } ] }""", "$.tasks[0].env", "unknown environment")]
    [TestCase("""{ "env": "text/a-v1", "tasks": [ { "id": "a", "limits": { "maxSteps": 0 } } ] }""", "$.tasks[0].limits.maxSteps", "expected 1..100000")]
    [TestCase("""{ "env": "text/a-v1", "tasks": [ { "id": 3 } ] }""", "$.tasks[0].id", "expected a string")]
    [TestCase("""{ "env": "text/a-v1", "tasks": [ """, "$ (line", "not valid JSON")]
    [TestCase("""{ "env": "text/a-v1" }""", "$", "no tasks")]
    public void BadFilesNameTheFileAndTheJsonPath(string json, string path, string problem)
    {
        TaskFileException? e = Assert.Throws<TaskFileException>(() => Parse(json));
        Assert.That(e!.Message, Does.StartWith("tasks/x/suite.json: " + path));
        Assert.That(e.Message, Does.Contain(problem));
    }

    [Test]
    public void AMissingSuiteListsTheKnownOnes()
    {
        FileNotFoundException? e = Assert.Throws<FileNotFoundException>(() => TaskSuiteLoader.Load("text/nope", Path.Combine(TestPaths.Root, "tasks")));
        Assert.That(e!.Message, Does.Contain("text/sokoban"));
    }
}

[TestFixture]
public sealed class EnvCheckerTests
{
    [Test]
    public async Task AConformingEnvironmentPasses()
    {
        EnvRegistration registration = new(new EnvSpec { Id = "test/scripted-v1", Family = "test" }, () => new ScriptedEnvironment("test/scripted-v1"));
        Assert.That(await EnvChecker.CheckAsync(registration, [TestRegistry.Task("t")]), Is.Empty);
    }

    [Test]
    public async Task NondeterminismAndThrowingOnBadActionsAreCaught()
    {
        int instance = 0;
        EnvRegistration nondeterministic = new(new EnvSpec { Id = "test/nd-v1", Family = "test" }, () =>
        {
            int n = Interlocked.Increment(ref instance);
            return new ScriptedEnvironment("test/nd-v1", step => new StepResult(new Observation { Text = $"instance {n}", StateKey = "k" }, 0, false, false, StepInfo.Valid));
        });
        IReadOnlyList<string> failures = await EnvChecker.CheckAsync(nondeterministic, [TestRegistry.Task("t")]);
        Assert.That(failures, Has.Some.Contains("diverge"));
        Assert.That(failures, Has.Some.Contains("was accepted as valid"));

        EnvRegistration throwing = new(new EnvSpec { Id = "test/throw-v1", Family = "test" }, () =>
            new ScriptedEnvironment("test/throw-v1", step => step > 0 ? throw new FormatException("bad action") : null));
        Assert.That(await EnvChecker.CheckAsync(throwing, [TestRegistry.Task("t")]), Has.Some.Contains("threw FormatException"));
    }
}

[TestFixture]
public sealed class RegistryTests
{
    [Test]
    public void IdsAreCheckedAndUnknownIdsListTheKnownOnes()
    {
        EnvRegistry registry = TestRegistry.With("test/scripted-v1", () => new ScriptedEnvironment("test/scripted-v1"));
        Assert.Throws<InvalidOperationException>(() => registry.Register(new EnvRegistration(new EnvSpec { Id = "test/scripted-v1", Family = "test" }, () => null!)));
        Assert.Throws<ArgumentException>(() => registry.Register(new EnvRegistration(new EnvSpec { Id = "noslash", Family = "test" }, () => null!)));
        Assert.That(Assert.Throws<KeyNotFoundException>(() => registry.Get("x/y-v1"))!.Message, Does.Contain("test/scripted-v1"));
        Assert.That(JsonSerializer.Serialize(registry.All.Select(r => r.Spec.Id)), Is.EqualTo("[\"test/scripted-v1\"]"));
    }
}
