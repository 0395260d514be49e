using System.Text.Json.Nodes;
using Gym.Core;
using Gym.Envs.Gui.Tasks;
using static Gym.Envs.Gui.Tests.GuiTaskFixtures;

namespace Gym.Envs.Gui.Tests;

/// <summary>The task format: kinds generated from seeds, errors that name the field, evaluators on real files.</summary>
[TestFixture]
public sealed class GuiTaskTests
{
    private string _home = "";

    [SetUp]
    public void SetUp() => _home = Directory.CreateTempSubdirectory("gym-gui-test-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_home, recursive: true);

    [Test]
    public void EveryKindGeneratesTheSameTaskForASeedAndDifferentOnesAcrossSeeds()
    {
        foreach (string kind in GuiTaskKinds.Names)
        {
            string a = GuiTaskKinds.Generate(kind, 7, "t").ToJsonString(), again = GuiTaskKinds.Generate(kind, 7, "t").ToJsonString();
            Assert.That(again, Is.EqualTo(a), kind);
            Assert.That(Enumerable.Range(0, 6).Select(s => GuiTaskKinds.Generate(kind, s, "t").ToJsonString()).Distinct().Count(), Is.GreaterThan(1), kind);
            GuiTask task = GuiTask.Resolve(Task($$"""{"kind": "{{kind}}"}"""), 7);
            Assert.That(task.Solution, Is.Not.Empty, kind);
            Assert.That(task.Setup.Any(s => s.Kind == "launch"), Is.True, kind);
        }
    }

    [TestCase("""{"setup": [], "evaluator": {"type": "file", "path": "../etc/passwd", "equals": "x"}}""", "config.evaluator: '../etc/passwd' must be a path inside the home directory")]
    [TestCase("""{"setup": [{"launch": ["xterm"]}], "evaluator": {"type": "infeasible"}}""", "config.setup[0].window (the window to wait for) is missing")]
    [TestCase("""{"setup": [{"copy": "x"}], "evaluator": {"type": "infeasible"}}""", "config.setup[0]: a set-up step is one of")]
    [TestCase("""{"setup": []}""", "config.evaluator is missing")]
    [TestCase("""{"evaluator": {"type": "file", "path": "a.txt"}}""", "a file evaluator needs equals, contains or matches")]
    [TestCase("""{"evaluator": {"type": "sound"}}""", "config.evaluator.type 'sound' is not one of")]
    [TestCase("""{"kind": "editor-dance"}""", "config.kind 'editor-dance' is not a GUI task kind")]
    [TestCase("""{"screen": [100, 100], "evaluator": {"type": "infeasible"}}""", "config.screen 100x100 is outside")]
    public void BadTasksAreRefusedWithTheTaskAndTheField(string config, string message)
    {
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => GuiTask.Resolve(Task(config, "bad-1"), 0))!;
        Assert.That(e.Message, Does.StartWith("Task bad-1").And.Contain(message));
    }

    private bool Judge(string evaluator, out string why) => Evaluator.Read(JsonNode.Parse(evaluator)!, "e").Judge(_home, out why);

    [Test]
    public void FileListingAndMissingEvaluatorsReadTheHomeFolder()
    {
        File.WriteAllText(Path.Combine(_home, "a.txt"), "hello world\n\n");
        Directory.CreateDirectory(Path.Combine(_home, "docs"));
        Assert.That(Judge("""{"type": "file", "path": "a.txt", "equals": "hello world"}""", out _), Is.True, "trailing white space is ignored");
        Assert.That(Judge("""{"type": "file", "path": "a.txt", "equals": "hello"}""", out string why), Is.False);
        Assert.That(why, Is.EqualTo("a.txt holds \"hello world\""));
        Assert.That(Judge("""{"type": "file", "path": "a.txt", "matches": "^h.*d$"}""", out _), Is.True);
        Assert.That(Judge("""{"type": "listing", "path": ".", "equals": ["docs", "a.txt"]}""", out _), Is.True);
        Assert.That(Judge("""{"type": "missing", "path": "a.txt"}""", out why), Is.False);
        Assert.That(why, Is.EqualTo("a.txt still exists"));
        Assert.That(Judge("""{"any": [{"type": "missing", "path": "a.txt"}, {"type": "file", "path": "a.txt", "contains": "world"}]}""", out _), Is.True);
        Assert.That(Judge("""{"all": [{"type": "missing", "path": "b.txt"}, {"type": "file", "path": "b.txt", "contains": "x"}]}""", out why), Is.False);
        Assert.That(why, Is.EqualTo("b.txt does not exist"));
    }

    [Test, CancelAfter(60_000)]
    public void CellEvaluatorsReadSpreadsheetsThroughSsconvert()
    {
        File.WriteAllText(Path.Combine(_home, "t.csv"), "1,2\n3,\"x, y\"\n");
        Assert.That(Judge("""{"type": "cell", "path": "t.csv", "cell": "B2", "equals": "x, y"}""", out string why), Is.True, why);
        Assert.That(Judge("""{"type": "cell", "path": "t.csv", "cell": "A2", "number": 3.0000001}""", out why), Is.True, why);
        Assert.That(Judge("""{"type": "cell", "path": "t.csv", "cell": "A1", "number": 2}""", out why), Is.False);
        Assert.That(why, Is.EqualTo("t.csv!A1 is \"1\""));
        Assert.That(Judge("""{"type": "cell", "path": "none.gnumeric", "cell": "A1", "number": 2}""", out why), Is.False);
        Assert.That(why, Is.EqualTo("none.gnumeric does not exist"));
    }

    [Test, CancelAfter(60_000)]
    public async Task ActionsThatCannotBeCarriedOutAreFeedbackNotExceptions()
    {
        await using GuiEnvironment env = new();
        await env.ResetAsync(Task("""{"setup": [{"launch": ["xterm"], "window": "xterm"}], "evaluator": {"type": "infeasible"}}"""), new ResetOptions());
        foreach ((string action, string error) in new[]
        {
            ("click(5000, 10)", "click: (5000, 10) is off the screen (1280x800)."),
            ("key('ctrl+blorp')", "key: 'blorp' in 'ctrl+blorp' is not a key"),
            ("scroll(10, 10, 0)", "scroll: dy must be a whole number"),
            ("click('a', 2)", "click: 'x' must be a number, got \"a\"."),
            ("teleport(1, 2)", "There is no action 'teleport'."),
            ("wait(9000)", "wait: ms must be from 0 to 5000, got 9000."),
        })
        {
            StepResult r = await Step(env, action);
            Assert.That(r.Info.ActionValid, Is.False, action);
            Assert.That(r.Info.Error, Does.StartWith(error), action);
            Assert.That(r.Observation.Text, Does.Contain("Last action error: " + r.Info.Error), action);
        }
        StepResult fail = await Step(env, "fail()");
        Assert.That((fail.Terminated, fail.Reward), Is.EqualTo((true, 1.0)), "fail() is the right answer to an infeasible task");
    }
}
