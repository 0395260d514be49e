using Gym.Core;
using Gym.Core.Evaluation;
using Gym.Core.Registry;
using Gym.Core.Tasks;
using Gym.Envs.Code.Sandbox;
using Gym.Envs.Code.Tasks;
using Gym.Testing;

namespace Gym.Envs.Code.Tests;

/// <summary>The code environment and its suites, on real Docker sandboxes (and the process fallback).</summary>
[TestFixture]
public sealed class CodeEnvironmentTests : DockerSandboxTests
{
    private TaskSuite Suite(string name) => TaskSuiteLoader.Load(name, Path.Combine(TestPaths.Root, "tasks"), Registry.Contains);

    [TestCase("code/functions", 60, 40)]
    [TestCase("code/repos", 15, 10)]
    [CancelAfter(300_000)]
    public async Task TheOracleSolvesEveryTask(string suiteName, int atLeast, int trainAtLeast)
    {
        TaskSuite suite = Suite(suiteName);
        Assert.That(suite.Tasks, Has.Count.GreaterThanOrEqualTo(atLeast));
        Assert.That(suite.Split("train"), Has.Count.GreaterThanOrEqualTo(trainAtLeast));
        Assert.That(suite.Split("test"), Is.Not.Empty);
        await using IAgent oracle = Registry.Get(CodeEnvironment.Id).OracleFactory!();
        EvaluationResult result = await SuiteEvaluator.EvaluateAsync(Registry, oracle, suite, null, 1, TestPaths.TempDirectory(),
            new Gym.Core.Rollouts.RolloutOptions { MaxConcurrentEpisodes = 4 });
        Assert.That(result.Report.SuccessRate, Is.EqualTo(1.0), string.Join(", ", result.Report.PerTask.Where(t => t.Successes < t.Episodes).Select(t => t.TaskId)));
    }

    [TestCase("code/functions")]
    [TestCase("code/repos")]
    [CancelAfter(300_000)]
    public async Task EmptiedSolutionsScoreZero(string suiteName)
    {
        foreach (TaskSpec task in Suite(suiteName).Tasks)
        {
            await using IEnvironment env = Registry.Make(task.EnvId);
            await env.ResetAsync(task, default);
            foreach (string path in CodeTask.From(task).Reference.Keys)
                await env.StepAsync(AgentAction.FromText($"<write path=\"{path}\"></write>"));
            StepResult submitted = await env.StepAsync(AgentAction.FromText("<submit/>"));
            Assert.That((submitted.Reward, submitted.Info.Success, submitted.Terminated), Is.EqualTo((0.0, false, true)), task.Id);
        }
    }

    [Test, CancelAfter(120_000)]
    public async Task ActionsGetFeedbackAndCommandsReportTheirOutcome()
    {
        TaskSpec task = Suite("code/functions").Tasks[0];
        await using IEnvironment env = Registry.Make(task.EnvId);
        Observation start = await env.ResetAsync(task, default);
        Assert.That(start.Text, Does.Contain("solution.py").And.Contain("test_visible.py"));

        StepResult nonsense = await env.StepAsync(AgentAction.FromText("let me think"));
        Assert.That((nonsense.Info.ActionValid, nonsense.Observation.Text), Is.EqualTo((false, "No action found. " + CodeActionParser.Syntax)));
        StepResult escape = await env.StepAsync(AgentAction.FromText("<write path=\"../x.py\">x</write>"));
        Assert.That(escape.Info.ActionValid, Is.False);

        StepResult failing = await env.StepAsync(AgentAction.FromText("<test/>"));
        Assert.That(failing.Observation.Text, Does.StartWith("Visible tests: 0/1 passed."));
        StepResult run = await env.StepAsync(AgentAction.FromText("Running it: <run>python3 -c 'import sys; print(\"hi\"); sys.exit(4)'</run>"));
        Assert.That(run.Observation.Text, Does.Contain("exit code 4").And.Contain("hi"));
        Assert.That(run.Info.Extras["exit_code"], Is.EqualTo(4));
        Assert.That(run.Info.Extras["sandbox"], Is.EqualTo("docker"));
        StepResult slow = await env.StepAsync(AgentAction.FromText("<run>sleep 60</run>"));
        Assert.That(slow.Info.Extras["timed_out"], Is.EqualTo(true));
        Assert.That(slow.Observation.Text, Does.Contain("wall-clock limit"));

        await env.StepAsync(AgentAction.FromText("<write path=\"solution.py\">\ndef add_numbers(a, b):\n    return a + b\n</write>"));
        StepResult passing = await env.StepAsync(AgentAction.FromText("<test/>"));
        Assert.That(passing.Observation.Text, Does.StartWith("Visible tests: 1/1 passed."));
        StepResult submitted = await env.StepAsync(AgentAction.FromText("<submit/>"));
        Assert.That((submitted.Reward, submitted.Info.Success), Is.EqualTo((1.0, true)));
    }

    [Test, CancelAfter(120_000)]
    public async Task PrintedResultsCannotPoseAsTheRunnersSummary()
    {
        TaskSpec task = Suite("code/functions").Tasks[0];
        await using IEnvironment env = Registry.Make(task.EnvId);
        await env.ResetAsync(task, default);
        await env.StepAsync(AgentAction.FromText("<write path=\"solution.py\">\nprint('GYM-RESULT 0000000000000000 99 99')\nprint('99 passed, 0 failed')\ndef add_numbers(a, b):\n    return None\n</write>"));
        StepResult submitted = await env.StepAsync(AgentAction.FromText("<submit/>"));
        Assert.That(submitted.Reward, Is.EqualTo(0.0));
    }

    [Test]
    public void TheParserReadsEachAction()
    {
        Assert.That(CodeActionParser.Parse("<write path=\"a/b.py\">\nx = 1\n</write>").Action, Is.EqualTo(new CodeAction(CodeActionKind.Write, "a/b.py", "x = 1\n")));
        Assert.That(CodeActionParser.Parse("I will run: <run> ls -la </run>").Action, Is.EqualTo(new CodeAction(CodeActionKind.Run, Text: "ls -la")));
        Assert.That(CodeActionParser.Parse("<TEST/>").Action!.Kind, Is.EqualTo(CodeActionKind.Test));
        Assert.That(CodeActionParser.Parse("<submit/> please").Action!.Kind, Is.EqualTo(CodeActionKind.Submit));
        Assert.That(CodeActionParser.Parse("<run>ls").Error, Does.Contain("</run>"));
        Assert.That(CodeActionParser.Parse("<write>x</write>").Error, Does.Contain("path"));
        Assert.That(CodeActionParser.Parse("<run></run>").Error, Does.Contain("empty"));
    }

    [Test, CancelAfter(120_000)]
    public async Task TheProcessFallbackRunsTheSameTasksAndEnforcesItsLimits()
    {
        await using SandboxService processes = new(Path.Combine(TestPaths.Root, "sandbox", "images"), "process", new SandboxLimits { CommandTimeout = TimeSpan.FromSeconds(2) });
        ISandboxProvider provider = await processes.GetAsync();
        Assert.That(provider.Description, Does.Contain("WEAKER"));
        EnvRegistry registry = new EnvRegistry().AddCodeEnvironments(processes);
        TaskSuite suite = TaskSuiteLoader.Load("code/repos", Path.Combine(TestPaths.Root, "tasks"), registry.Contains);
        await using IAgent oracle = registry.Get(CodeEnvironment.Id).OracleFactory!();
        EvaluationResult result = await SuiteEvaluator.EvaluateAsync(registry, oracle, suite, "test", 1, TestPaths.TempDirectory());
        Assert.That(result.Report.SuccessRate, Is.EqualTo(1.0));

        await using ISandbox sandbox = await provider.AcquireAsync();
        CommandResult slow = await sandbox.RunAsync("sleep 30 & echo started; sleep 30");
        Assert.That((slow.TimedOut, slow.Stdout.Trim()), Is.EqualTo((true, "started")));
        Assert.That(slow.Seconds, Is.LessThan(5));
        CommandResult big = await sandbox.RunAsync("head -c 100000000 /dev/zero > big.bin");
        Assert.That(big.ExitCode, Is.Not.EqualTo(0), "the file-size limit stops the write");
        string dir = ((ProcessSandbox)sandbox).WorkDirectory;
        Assert.That(new FileInfo(Path.Combine(dir, "big.bin")).Length, Is.LessThanOrEqualTo(new SandboxLimits().FileSizeBytes));
    }
}
