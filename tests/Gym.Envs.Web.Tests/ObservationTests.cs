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

/// <summary>Pop-ups become tabs the agent can see and switch between.</summary>
[TestFixture]
public sealed class TabTests
{
    [Test, CancelAfter(60_000)]
    public async Task APopUpOpensAsTheCurrentTabAndTabFocusGoesBack()
    {
        await using WebEnvironment env = new();
        Observation start = await env.ResetAsync(Widget("click-button"), default);
        string site = Gym.Envs.Web.Tasks.ObservationTree.Url(start.Text)!.GetLeftPart(UriPartial.Authority);
        await env.StepAsync(Act($"goto('{site}/widgets/click-link?seed=1')"));
        // A link into a new tab, added to the page the way a site would.
        StepResult opened = await env.StepAsync(Act($"goto('data:text/html,<title>Links</title><a href=\"{site}/widgets/choose-list?seed=2\" target=\"_blank\">Open list</a>')"));
        string link = Gym.Envs.Web.Tasks.ObservationTree.Find(opened.Observation.Text, "link", "Open list")!;
        StepResult popup = await env.StepAsync(Act($"click('{link}')"));
        Assert.That(popup.Observation.Text, Does.Contain("Tabs: [0]").And.Contain("[1] \"Task\" (current)"));
        Assert.That(popup.Observation.Text, Does.Contain("combobox \"Flavour\""), "the new tab is observed");
        StepResult back = await env.StepAsync(Act("tab_focus(0)"));
        Assert.That(back.Observation.Text, Does.Contain("[0] \"Links\" (current)").And.Contain("link \"Open list\""));
        StepResult bad = await env.StepAsync(Act("tab_focus(5)"));
        Assert.That(bad.Info.Error, Is.EqualTo("There is no tab 5; the open tabs are 0 to 1."));
    }
}

/// <summary>Tasks written in the task file: their evaluators and their errors.</summary>
[TestFixture]
public sealed class PageTaskTests
{
    private static TaskSpec Page(string config, string evaluator) => new()
    {
        Id = "p1", EnvId = WebEnvironment.Id, Instruction = "Do it.",
        Config = System.Text.Json.JsonDocument.Parse(config).RootElement, Evaluator = System.Text.Json.JsonDocument.Parse(evaluator).RootElement,
    };

    [TestCase("""{"type": "url"}""", "evaluator.matches (a regular expression) is missing")]
    [TestCase("""{"type": "url", "matches": "("}""", "evaluator.matches is not a regular expression")]
    [TestCase("""{"type": "answer"}""", "an answer evaluator needs \"exact\" or \"mustInclude\"")]
    [TestCase("""{"type": "vibes"}""", "evaluator.type 'vibes' is not one of url, answer, script, infeasible")]
    [TestCase("""{"type": "answer", "mustInclude": [1]}""", "evaluator.mustInclude must be an array of strings")]
    public void ABadEvaluatorIsRefusedWithTheReason(string evaluator, string message)
    {
        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => Gym.Envs.Web.Tasks.WebTasks.Resolve(Page("""{"site": "page", "start": "shop/x/"}""", evaluator), 0));
        Assert.That(e!.Message, Does.StartWith("Task p1: ").And.Contain(message));
    }

    [Test]
    public void AnswersAreJudgedExactlyOrByWhatTheyMustInclude()
    {
        Gym.Envs.Web.Tasks.IWebTask exact = Gym.Envs.Web.Tasks.WebTasks.Resolve(Page("""{"site": "page", "start": "shop/x/"}""", """{"type": "answer", "exact": "$14.18"}"""), 0);
        Assert.That((exact.JudgeFinal("send_msg_to_user", " $14.18 "), exact.JudgeFinal("send_msg_to_user", "It is $14.18"), exact.JudgeFinal("report_infeasible", "no")), Is.EqualTo((true, false, false)));
        Gym.Envs.Web.Tasks.IWebTask include = Gym.Envs.Web.Tasks.WebTasks.Resolve(Page("""{"site": "page", "start": "shop/x/"}""", """{"type": "answer", "mustInclude": ["velvet", "zippered"]}"""), 0);
        Assert.That((include.JudgeFinal("send_msg_to_user", "Zippered and VELVET."), include.JudgeFinal("send_msg_to_user", "velvet")), Is.EqualTo((true, false)));
        Assert.That(exact.Goal, Is.EqualTo("Do it."), "the instruction is the goal when config.goal is absent");
        Assert.That(exact.StartPath, Is.EqualTo("shop/x/"));
    }
}
