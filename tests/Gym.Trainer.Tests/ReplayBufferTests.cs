using Gym.Core;
using Gym.Core.Rollouts;
using Gym.Core.Trajectories;
using Gym.Testing;
using Gym.Trainer.Training;

namespace Gym.Trainer.Tests;

[TestFixture]
public sealed class ReplayBufferTests
{
    private static Episode Episode(string task, string id, bool success) => new()
    {
        Id = id,
        TaskId = task,
        EnvId = "text/frozenlake-v1",
        Group = task,
        Steps = [new EpisodeStep(0, new Observation { Text = "o" }, AgentAction.FromText("up"), success ? 1 : 0, success, false, new StepInfo(),
            new TokenTrace([1, 2], [3], [-0.5f]), 0, 0)],
        Outcome = new Outcome(success, success ? 1 : 0, Termination.Terminated),
    };

    private static EpisodeGroup Group(string task, params bool[] successes) =>
        new(new TaskSpec { Id = task, EnvId = "text/frozenlake-v1" }, task, [.. successes.Select((s, i) => Episode(task, $"{task}/{Guid.NewGuid():N}/{i}", s))]);

    [Test]
    public void GroupsWithoutASuccessGetStoredSuccessesOfTheirTask()
    {
        ReplayBuffer buffer = new(perTask: 2);
        List<EpisodeGroup> first = [Group("a", false, true), Group("b", false, false)];
        Assert.That(buffer.Mix(first, perGroup: 1), Is.EqualTo(0), "nothing stored yet");
        Assert.That(buffer.Count, Is.EqualTo(1));

        Episode stored = first[0].Episodes[1];
        List<EpisodeGroup> second = [Group("a", false, false, false), Group("b", false, false), Group("a", true, false)];
        Assert.That(buffer.Mix(second, perGroup: 1), Is.EqualTo(1));
        Assert.That(second[0].Episodes.Select(e => e.Outcome.Success), Is.EqualTo(new[] { false, false, true }));
        Assert.That(second[0].Episodes[2], Is.SameAs(stored));
        Assert.That(second[1].Episodes.Any(e => e.Outcome.Success), Is.False, "task b has no success to replay");
        Assert.That(second[2].Episodes.Count(e => e.Outcome.Success), Is.EqualTo(1), "a group with a success is left alone");
        Assert.That(buffer.Count, Is.EqualTo(2), "task a keeps its two newest successes");
    }

    [Test]
    public void TheBufferSurvivesACheckpoint()
    {
        ReplayBuffer buffer = new(perTask: 3);
        buffer.Mix([Group("a", true, true), Group("b", true, false)], perGroup: 1);
        string dir = TestPaths.TempDirectory();
        buffer.Save(dir);
        ReplayBuffer loaded = ReplayBuffer.Load(dir, perTask: 3);
        Assert.That(loaded.Count, Is.EqualTo(3));
        List<EpisodeGroup> a = [Group("a", false, false)], b = [Group("a", false, false)];
        buffer.Mix(a, 2);
        loaded.Mix(b, 2);
        Assert.That(b[0].Episodes.Select(e => e.Id), Is.EqualTo(a[0].Episodes.Select(e => e.Id)), "the same episodes, in the same order");
        Assert.That(ReplayBuffer.Load(null, 3).Count, Is.Zero);
    }
}
