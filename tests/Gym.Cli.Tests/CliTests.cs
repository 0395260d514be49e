using System.Text.Json;
using Gym.Core.Evaluation;
using Gym.Testing;

namespace Gym.Cli.Tests;

/// <summary>End-to-end tests of the gym command, run as a separate process the way a user runs it.</summary>
[TestFixture]
public sealed class CliTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = TestPaths.TempDirectory();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Output, string Error) Gym(params string[] args)
    {
        string dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "gym.dll");
        Environment.SetEnvironmentVariable("GYM_ROOT", TestPaths.Root);
        return ProcessRunner.Run("dotnet", [dll, .. args], TestPaths.Root, 240_000);
    }

    [TestCase("text/sokoban")]
    [TestCase("text/frozenlake")]
    [TestCase("text/household")]
    [CancelAfter(300_000)]
    public void EvalWritesAReportAndTrajectories(string suite)
    {
        string oracleDir = Path.Combine(_dir, "oracle"), randomDir = Path.Combine(_dir, "random");
        (int code, string output, string error) = Gym("eval", "--suite", suite, "--agent", "oracle", "--split", "test", "--out", oracleDir);
        Assert.That(code, Is.EqualTo(0), output + error);
        Assert.That(output, Does.Contain("report: "));
        EvaluationReport oracle = EvaluationReport.Load(Path.Combine(oracleDir, "report.json"));
        Assert.That((oracle.Suite, oracle.Split, oracle.Agent, oracle.Tasks, oracle.Episodes), Is.EqualTo((suite, "test", "oracle", 50, 50)));
        Assert.That(oracle.SuccessRate, Is.GreaterThanOrEqualTo(0.99));
        Assert.That(oracle.PerTask, Has.Count.EqualTo(50));
        Assert.That(File.Exists(Path.Combine(oracleDir, "trajectories.msgpack")), Is.True);

        (code, output, error) = Gym("eval", "--suite", suite, "--agent", "random", "--repeats", "3", "--out", randomDir);
        Assert.That(code, Is.EqualTo(0), output + error);
        EvaluationReport random = EvaluationReport.Load(Path.Combine(randomDir, "report.json"));
        Assert.That((random.Repeats, random.Episodes), Is.EqualTo((3, 150)));
        Assert.That(random.SuccessRate, Is.LessThan(oracle.SuccessRate));
        Assert.That(random.PassAtK, Is.GreaterThanOrEqualTo(random.PassHatK));

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(randomDir, "report.json")));
        foreach (string key in new[] { "success_rate", "mean_score", "pass_at_k", "pass_hat_k", "mean_steps", "invalid_action_rate", "episodes", "aborted", "per_task" })
            Assert.That(json.RootElement.TryGetProperty(key, out _), Is.True, key);
    }

    [Test, CancelAfter(300_000), Category("Docker")]
    public void CodeSuitesRunInSandboxesThatTheReportNames()
    {
        string docker = Path.Combine(_dir, "docker"), process = Path.Combine(_dir, "process");
        (int code, string output, string error) = Gym("eval", "--suite", "code/repos", "--agent", "oracle", "--out", docker);
        Assert.That(code, Is.EqualTo(0), output + error);
        EvaluationReport report = EvaluationReport.Load(Path.Combine(docker, "report.json"));
        Assert.That(report.SuccessRate, Is.EqualTo(1.0));
        Assert.That(report.Notes, Has.Some.StartsWith("sandbox: docker (").And.Contains("no network"));
        Environment.SetEnvironmentVariable("GYM_SANDBOX", "process");
        try
        {
            (code, output, error) = Gym("eval", "--suite", "code/repos", "--agent", "oracle", "--out", process);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GYM_SANDBOX", null);
        }
        Assert.That(code, Is.EqualTo(0), output + error);
        Assert.That(EvaluationReport.Load(Path.Combine(process, "report.json")).Notes, Has.Some.Contains("WEAKER"));
        Assert.That(output, Does.Contain("sandbox: process (WEAKER"));
    }

    [Test, CancelAfter(300_000)]
    public void TrajectoriesCanBeShownAndExported()
    {
        string outDir = Path.Combine(_dir, "eval");
        Assert.That(Gym("eval", "--suite", "text/household", "--agent", "oracle", "--out", outDir).Code, Is.EqualTo(0));
        string file = Path.Combine(outDir, "trajectories.msgpack");

        (int code, string output, _) = Gym("trajectories", "show", file);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("50 episodes, 50 successful"));

        (code, output, _) = Gym("trajectories", "show", file, "--episode", "0");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("--- step 0 ---").And.Contain("> go to "));

        string jsonl = Path.Combine(_dir, "out.jsonl");
        (code, _, _) = Gym("trajectories", "export", "--format", "jsonl", file, "--out", jsonl);
        Assert.That(code, Is.EqualTo(0));
        string[] lines = File.ReadAllLines(jsonl);
        Assert.That(lines, Has.Length.EqualTo(50));
        using JsonDocument first = JsonDocument.Parse(lines[0]);
        Assert.That(first.RootElement.GetProperty("messages")[0].GetProperty("role").GetString(), Is.EqualTo("user"));

        // A torn file (a killed writer) still shows every complete episode, with a warning.
        byte[] bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..^10]);
        (code, output, string error) = Gym("trajectories", "show", file);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("49 episodes"));
        Assert.That(error, Does.Contain("warning").And.Contain("incomplete"));
    }

    [Test, CancelAfter(300_000), Category("Xvfb")]
    public void ScreenshotsOfGuiEpisodesCanBeWrittenOutByTrajectoriesShow()
    {
        string outDir = Path.Combine(_dir, "gui");
        (int code, string output, string error) = Gym("eval", "--suite", "gui/desktop", "--agent", "oracle", "--limit", "2", "--out", outDir);
        Assert.That(code, Is.EqualTo(0), output + error);
        Assert.That(output, Does.Contain("100.0 %"));
        string images = Path.Combine(_dir, "images");
        (code, output, _) = Gym("trajectories", "show", Path.Combine(outDir, "trajectories.msgpack"), "--episode", "0", "--images", images);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("[image screenshot: image/png").And.Contain("episode-0-step-0-screenshot.png"));
        byte[] png = File.ReadAllBytes(Path.Combine(images, "episode-0-step-0-screenshot.png"));
        Assert.That(png[..8], Is.EqualTo(new byte[] { 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a }));
    }

    [Test, CancelAfter(120_000)]
    public void BadInputGetsAClearErrorAndExitCode2()
    {
        string suiteDir = Path.Combine(_dir, "bad");
        Directory.CreateDirectory(suiteDir);
        File.WriteAllText(Path.Combine(suiteDir, "suite.json"), """{ "env": "text/sokoban-v1", "generate": [ { "split": "test", "seeds": { "from": 0, "count": -4 } } ] }""");
        (int code, _, string error) = Gym("eval", "--suite", suiteDir, "--agent", "oracle", "--out", Path.Combine(_dir, "x"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("suite.json: $.generate[0].seeds.count: expected a count in 1..1000000, got -4"));

        (code, _, error) = Gym("eval", "--suite", "text/sokoban", "--agent", "genius");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("Unknown agent 'genius'").And.Contain("oracle"));

        (code, _, error) = Gym("trajectories", "show", Path.Combine(_dir, "missing.msgpack"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("No trajectory file"));
    }

    [Test, CancelAfter(300_000)]
    public void APolicyCheckpointIsEvaluatedLikeAnyAgent()
    {
        string checkpoint = Path.Combine(_dir, "ckpt");
        using (Gym.Models.Transformer.CausalLanguageModel model = new(new Gym.Models.ModelConfig { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 2, NumKeyValueHeads = 1 }, seed: 2))
            model.Save(checkpoint);
        string outDir = Path.Combine(_dir, "policy");
        (int code, string output, string error) = Gym("eval", "--suite", "text/frozenlake", "--agent", $"policy:{checkpoint}", "--limit", "5", "--out", outDir);
        Assert.That(code, Is.EqualTo(0), output + error);
        EvaluationReport report = EvaluationReport.Load(Path.Combine(outDir, "report.json"));
        Assert.That((report.Tasks, report.Episodes, report.Agent), Is.EqualTo((5, 5, $"policy:{checkpoint}")));
        Assert.That(report.InvalidActionRate, Is.EqualTo(0), "constrained to the admissible actions");
        (code, _, error) = Gym("eval", "--suite", "text/frozenlake", "--agent", $"policy:{_dir}/missing");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("not a checkpoint directory"));

        // A device that is not there is one clear line, whichever command asks for it.
        (code, _, error) = Gym("eval", "--suite", "text/frozenlake", "--agent", $"policy:{checkpoint}", "--limit", "1", "--device", "tpu", "--out", outDir);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Is.EqualTo("error: Unknown device 'tpu': use cpu, cuda or cuda:N."));
        if (!TorchSharp.torch.cuda.is_available())
        {
            (code, _, error) = Gym("serve", "--checkpoint", checkpoint, "--port", "0", "--device", "cuda");
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error, Does.StartWith("error: Device 'cuda' asks for CUDA, which this build cannot use").And.Contain("libtorch-cuda-12.8-linux-x64"));
            (code, _, error) = Gym("train", "--config", Path.Combine(TestPaths.Root, "configs", "main.json"), "--out", Path.Combine(_dir, "train"), "--device", "cuda:0");
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error, Does.Contain("Device 'cuda:0' asks for CUDA"));
        }
    }

    [Test, CancelAfter(300_000), Category("Slow")]
    public void TheMainJobMeasuresEveryStageOnTheTestSplitAndReports()
    {
        // The main job's own recipe, cut to a minute: 8 demonstrations, one SFT epoch, two RL iterations.
        string config = Path.Combine(_dir, "tiny.json");
        File.WriteAllText(config, """
            { "suite": "text/frozenlake-4x4",
              "model": { "hiddenSize": 32, "layers": 1, "heads": 2, "kvHeads": 1, "intermediateSize": 64, "seed": 0 },
              "agent": { "historyTurns": 0, "maxNewTokens": 8, "temperature": 2.0, "constrained": true, "showAdmissible": false, "systemPrompt": "" },
              "sft": { "demonstrations": 8, "epochs": 1, "batchSize": 8, "learningRate": 0.003 },
              "groupSize": 4, "tasksPerIteration": 2, "iterations": 2, "evalInterval": 1, "evalTasks": 4, "checkpointInterval": 1 }
            """);
        string outDir = Path.Combine(_dir, "main");
        (int code, string output, string error) = Gym("main", "--config", config, "--repeats", "1", "--seed", "3", "--out", outDir);
        Assert.That(code, Is.EqualTo(0), output + error);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        JsonElement root = report.RootElement;
        Assert.That((root.GetProperty("seed").GetInt64(), root.GetProperty("demonstrations").GetInt32()), Is.EqualTo((3L, 8)));
        string[] stages = [.. root.GetProperty("policies").EnumerateArray().Select(p => p.GetProperty("stage").GetString()!)];
        Assert.That(stages[..3], Is.EqualTo(new[] { "untrained", "after SFT", "RL, last checkpoint" }));
        Assert.That(stages[3], Does.StartWith("RL, best on validation (iteration "));
        Assert.That(root.GetProperty("policies").EnumerateArray().Select(p => p.GetProperty("report").GetProperty("split").GetString()), Is.All.EqualTo("test"));
        // Baselines: oracle and random on every text suite's test split.
        Assert.That(root.GetProperty("baselines").GetArrayLength(), Is.EqualTo(8));
        Assert.That(File.ReadAllText(Path.Combine(outDir, "report.md")), Does.Contain("| after SFT |"));
        Assert.That(output, Does.Contain("learning on text/frozenlake-4x4 (test split): "));
    }

    [Test, CancelAfter(120_000)]
    public void EnvsAndTasksList()
    {
        (int code, string output, _) = Gym("envs");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("text/sokoban-v1").And.Contain("text/household-v1").And.Contain("text/frozenlake-v1"));
        (code, output, _) = Gym("tasks", "text/sokoban", "--split", "test", "--limit", "3");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("test-100000").And.Contain("3 of 50 tasks shown"));
    }
}
