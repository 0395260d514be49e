using Gym.Core;
using Gym.Core.Actions;
using Gym.Envs.Web.Actions;

namespace Gym.Envs.Web.Tests;

[TestFixture]
public sealed class ActionParserTests
{
    [TestCase("click('12')", "click('12', 'left')")]
    [TestCase("  click(12)  ", "click('12', 'left')")]
    [TestCase("click(\"12\", button='right')", "click('12', 'right')")]
    [TestCase("fill('5', 'it\\'s \"quoted\"')", "fill('5', 'it\\'s \"quoted\"')")]
    [TestCase("select_option('7', ['red', 'blue'])", "select_option('7', ['red', 'blue'])")]
    [TestCase("scroll(0, '300')", "scroll(0, 300)")]
    [TestCase("noop()", "noop(1000)")]
    [TestCase("send_msg_to_user(text='$12.99')", "send_msg_to_user('$12.99')")]
    public void StrictParsingReadsOneCall(string text, string expected)
    {
        (CallAction? action, string? error) = WebActionParser.Parse(AgentAction.FromText(text));
        Assert.That(error, Is.Null);
        Assert.That(action!.ToString(), Is.EqualTo(expected));
    }

    [TestCase("", "The action is empty")]
    [TestCase("I will click('12')", "is not one action call")]
    [TestCase("click('12') then fill('3', 'x')", "text after the call")]
    [TestCase("teleport('12')", "There is no action 'teleport'")]
    [TestCase("fill('5')", "fill needs 'value'")]
    [TestCase("click('12', 'left', 3)", "click takes 2 argument(s), got 3")]
    [TestCase("click(bid='1', colour='red')", "click has no parameter 'colour'")]
    [TestCase("scroll('up', 3)", "scroll: 'delta_x' must be a number")]
    [TestCase("click('12", "a string is not closed")]
    public void ProblemsBecomeFeedback(string text, string message)
    {
        (CallAction? action, string? error) = WebActionParser.Parse(AgentAction.FromText(text));
        Assert.That(action, Is.Null);
        Assert.That(error, Does.Contain(message));
    }

    [Test]
    public void LenientParsingFindsTheFirstKnownCallInProse()
    {
        (CallAction? action, string? error) = WebActionParser.Parse(AgentAction.FromText("The button is [12], so I think (carefully) that I should:\n```\nclick('12')\n```"), lenient: true);
        Assert.That((action?.ToString(), error), Is.EqualTo(("click('12', 'left')", (string?)null)));
        (action, error) = WebActionParser.Parse(AgentAction.FromText("Nothing to do here."), lenient: true);
        Assert.That(error, Does.StartWith("No action call found"));
    }

    [Test]
    public void NativeToolCallsAreReadFromTheirArguments()
    {
        AgentAction native = new() { Text = "", ToolCalls = [new ToolCall("c1", "fill", """{"bid": "5", "value": "shoes"}""")] };
        Assert.That(WebActionParser.Parse(native).Action!.ToString(), Is.EqualTo("fill('5', 'shoes')"));
        AgentAction two = new() { Text = "", ToolCalls = [new ToolCall("c1", "noop", "{}"), new ToolCall("c2", "noop", "{}")] };
        Assert.That(WebActionParser.Parse(two).Error, Does.Contain("One action per turn"));
    }

    [Test]
    public void TheActionSetDescribesItselfAsTextAndAsToolSchemas()
    {
        Assert.That(WebActionSet.Describe(), Does.Contain("click('12'): Click an element.").And.Contain("report_infeasible("));
        ToolSpec fill = WebActionSet.Tools.Single(t => t.Name == "fill");
        using System.Text.Json.JsonDocument schema = System.Text.Json.JsonDocument.Parse(fill.ParametersSchema);
        Assert.That(schema.RootElement.GetProperty("required").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "bid", "value" }));
        Assert.That(WebActionSet.Tools.Select(t => t.Name), Is.EquivalentTo(WebActionSet.All.Select(a => a.Name)));
    }
}
