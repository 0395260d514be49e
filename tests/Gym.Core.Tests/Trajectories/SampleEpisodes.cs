using Gym.Core.Trajectories;

namespace Gym.Core.Tests.Trajectories;

/// <summary>Episodes with every field filled, for store tests.</summary>
internal static class SampleEpisodes
{
    public static Episode Make(int index, int steps = 3)
    {
        List<EpisodeStep> list = [];
        for (int i = 0; i < steps; i++)
        {
            Observation obs = new()
            {
                Text = $"observation {i} of episode {index} — ünïcode ✓",
                StateKey = $"state-{i % 2}",
                AdmissibleActions = ["up", "down"],
                Images = i == 0 ? [new ObservationImage("screenshot", "image/png", new byte[] { 0x89, 0x50, 0x4e, 0x47, (byte)index })] : [],
                Tools = i == 1 ? [new ToolSpec("search", "Searches.", "{\"type\":\"object\"}")] : [],
                Feedback = i == 2 ? "bad action" : null,
                ToolResults = i == 2 ? [new ToolResult("c1", "{\"hits\": 3}")] : [],
            };
            AgentAction action = new() { Text = i == 2 ? "jump" : "up", ToolCalls = i == 1 ? [new ToolCall("c1", "search", "{\"q\":\"x\"}")] : [] };
            StepInfo info = i == 2
                ? StepInfo.Invalid("bad action") with { Extras = new Dictionary<string, object?> { ["exit_code"] = 3L, ["blocked"] = new object?[] { "http://x" } } }
                : new StepInfo { ParsedAction = "up", Success = i == steps - 1, Score = i == steps - 1 ? 0.75 : null, EnvTime = TimeSpan.FromMilliseconds(2) };
            TokenTrace trace = new([1, 2, 300], [7, 70000], [-0.5f, -1.25f], PolicyVersion: 4);
            list.Add(new EpisodeStep(i, obs, action, i == 2 ? -0.1 : 0.5, i == steps - 1, false, info, i % 2 == 0 ? trace : null, 0.001 * i, 0.002,
                i == 1 ? new TokenUsage(120, 17) : null));
        }
        return new Episode
        {
            Id = $"run/task-{index}/0",
            Suite = "text/test",
            TaskId = $"task-{index}",
            EnvId = "text/test-v1",
            Split = "test",
            Group = $"run/task-{index}",
            Seed = 1000 + index,
            SamplingSeed = 99,
            Attempt = 0,
            PolicyVersion = 4,
            Agent = "oracle",
            Instruction = "do the thing",
            Steps = list,
            FinalObservation = new Observation { Text = "the end", StateKey = "end" },
            Outcome = new Outcome(true, 0.75, Termination.Terminated),
            StartedAt = new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero).AddTicks(index),
            DurationSeconds = 1.5,
        };
    }

    /// <summary>Asserts two episodes hold the same data.</summary>
    public static void AssertSame(Episode actual, Episode expected)
    {
        Assert.That(actual with { Steps = [], FinalObservation = null }, Is.EqualTo(expected with { Steps = [], FinalObservation = null }));
        Assert.That(actual.FinalObservation!.Text, Is.EqualTo(expected.FinalObservation!.Text));
        Assert.That(actual.Steps, Has.Count.EqualTo(expected.Steps.Count));
        for (int i = 0; i < expected.Steps.Count; i++)
        {
            EpisodeStep a = actual.Steps[i], e = expected.Steps[i];
            Assert.That((a.Index, a.Reward, a.Terminated, a.Truncated, a.AgentSeconds, a.EnvSeconds), Is.EqualTo((e.Index, e.Reward, e.Terminated, e.Truncated, e.AgentSeconds, e.EnvSeconds)));
            Assert.That((a.Observation.Text, a.Observation.StateKey, a.Observation.Feedback), Is.EqualTo((e.Observation.Text, e.Observation.StateKey, e.Observation.Feedback)));
            Assert.That(a.Observation.AdmissibleActions, Is.EqualTo(e.Observation.AdmissibleActions));
            Assert.That(a.Observation.Images.Select(x => (x.Name, x.MediaType, Convert.ToHexString(x.Data.Span))), Is.EqualTo(e.Observation.Images.Select(x => (x.Name, x.MediaType, Convert.ToHexString(x.Data.Span)))));
            Assert.That(a.Observation.Tools, Is.EqualTo(e.Observation.Tools));
            Assert.That(a.Observation.ToolResults, Is.EqualTo(e.Observation.ToolResults));
            Assert.That(a.Usage, Is.EqualTo(e.Usage));
            Assert.That(a.Action.Text, Is.EqualTo(e.Action.Text));
            Assert.That(a.Action.ToolCalls, Is.EqualTo(e.Action.ToolCalls));
            Assert.That((a.Info.ActionValid, a.Info.Error, a.Info.ParsedAction, a.Info.Success, a.Info.Score, a.Info.EnvTime), Is.EqualTo((e.Info.ActionValid, e.Info.Error, e.Info.ParsedAction, e.Info.Success, e.Info.Score, e.Info.EnvTime)));
            Assert.That(a.Info.Extras.Keys, Is.EquivalentTo(e.Info.Extras.Keys));
            Assert.That(a.Trace is null, Is.EqualTo(e.Trace is null));
            if (e.Trace is not null)
            {
                Assert.That(a.Trace!.PromptIds, Is.EqualTo(e.Trace.PromptIds));
                Assert.That(a.Trace.ResponseIds, Is.EqualTo(e.Trace.ResponseIds));
                Assert.That(a.Trace.ResponseLogProbs, Is.EqualTo(e.Trace.ResponseLogProbs));
                Assert.That(a.Trace.PolicyVersion, Is.EqualTo(e.Trace.PolicyVersion));
            }
        }
    }
}
