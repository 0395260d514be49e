using Gym.Core;
using Gym.Envs.Web.Browser;
using static Gym.Envs.Web.Tests.WebTaskFixtures;

namespace Gym.Envs.Web.Tests;

/// <summary>What the agent sees: the tree with stable ids, the state key, and screenshots with marks.</summary>
[TestFixture]
public sealed class ObservationTests
{
    [Test, CancelAfter(60_000)]
    public async Task IdsStayWithTheirElementsAndTheStateKeyFollowsTheState()
    {
        await using WebEnvironment env = new();
        Observation start = await env.ResetAsync(Widget("search-engine", 5), default);
        string search = Gym.Envs.Web.Tasks.ObservationTree.Find(start.Text, "searchbox", "Search")!, button = Gym.Envs.Web.Tasks.ObservationTree.Find(start.Text, "button", "Search")!;
        Assert.That(start.Text, Does.Contain($"[{search}] searchbox \"Search\"").And.Contain("Goal: Search for"));

        StepResult waited = await env.StepAsync(Act("noop(10)"));
        Assert.That(waited.Observation.StateKey, Is.EqualTo(start.StateKey), "nothing changed, same state");
        StepResult filled = await env.StepAsync(Act($"fill('{search}', 'zzz')"));
        Assert.That(filled.Observation.Text, Does.Contain($"[{search}] searchbox \"Search\" value=\"zzz\""));
        Assert.That(filled.Observation.StateKey, Is.Not.EqualTo(start.StateKey));
        StepResult focused = await env.StepAsync(Act($"focus('{button}')"));
        Assert.That(focused.Observation.Text, Does.Contain($"Focused: [{button}]"));
        Assert.That(focused.Observation.StateKey, Is.EqualTo(filled.Observation.StateKey), "focus alone is not a new state");

        // Results appear with new ids; the old elements keep theirs.
        string query = start.Text.Split('"')[1];
        await env.StepAsync(Act($"fill('{search}', '{query}')"));
        StepResult results = await env.StepAsync(Act($"click('{button}')"));
        Assert.That(results.Observation.Text, Does.Contain($"[{search}] searchbox").And.Contain($"[{button}] button \"Search\""));
        Assert.That(System.Text.RegularExpressions.Regex.Matches(results.Observation.Text, @"\[(\d+)\] link").Select(m => int.Parse(m.Groups[1].Value)),
            Has.All.GreaterThan(int.Parse(button)));
    }

    [Test, CancelAfter(60_000)]
    public async Task AScreenshotWithMarksIsAttachedOnRequest()
    {
        await using WebEnvironment env = new(new WebOptions { Screenshot = true, SetOfMarks = true });
        Observation start = await env.ResetAsync(Widget("click-button"), default);
        ObservationImage shot = start.Images.Single();
        Assert.That(shot.MediaType, Is.EqualTo("image/png"));
        Assert.That(shot.Data.Span[..8].ToArray(), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
        // The marks are drawn for the picture only: the page itself is unchanged.
        StepResult again = await env.StepAsync(Act("noop(10)"));
        Assert.That(again.Observation.Text, Does.Not.Contain("__gym_marks"));
        Assert.That(again.Observation.StateKey, Is.EqualTo(start.StateKey));
    }

    [Test, CancelAfter(60_000)]
    public async Task ActionErrorsAreFeedbackWithThePageStillShown()
    {
        await using WebEnvironment env = new();
        await env.ResetAsync(Widget("click-button"), default);
        StepResult missing = await env.StepAsync(Act("click('999')"));
        Assert.That((missing.Info.ActionValid, missing.Info.Error), Is.EqualTo((false, (string?)"There is no element [999] on the page now.")));
        Assert.That(missing.Observation.Text, Does.Contain("Last action error: There is no element [999] on the page now.").And.Contain("button"));
        StepResult prose = await env.StepAsync(Act("I would click the first button"));
        Assert.That(prose.Info.ActionValid, Is.False);
        Assert.That(prose.Observation.Feedback, Does.Contain("is not one action call"));
    }
}
