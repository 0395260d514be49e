using System.Diagnostics;
using Gym.Agents.Policy;
using Gym.Core.Evaluation;
using Gym.Core.Trajectories;
using Gym.Models;
using Gym.Models.Transformer;
using Gym.Testing;

namespace Gym.Cli.Tests;

/// <summary><c>gym serve</c> and <c>gym eval --agent openai:...</c> as a user runs them: two processes talking HTTP.</summary>
[TestFixture]
public sealed class ServeTests
{
    private static string GymDll => Path.Combine(TestContext.CurrentContext.TestDirectory, "gym.dll");

    [Test, CancelAfter(300_000), Category("Slow")]
    public async Task EvalWithTheOpenAiAgentAgainstGymServeMatchesTheLocalPolicy()
    {
        string dir = TestPaths.TempDirectory();
        string checkpoint = Path.Combine(dir, "tiny");
        using (CausalLanguageModel model = new(new ModelConfig
        {
            VocabSize = ByteTokenizer.DefaultVocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1,
            NumAttentionHeads = 2, NumKeyValueHeads = 1, MaxPositionEmbeddings = 1024,
        }, seed: 4))
        {
            model.Save(checkpoint);
        }
        new PolicyAgentOptions { HistoryTurns = 1, Temperature = 0, MaxNewTokens = 8, SystemPrompt = "" }.Save(checkpoint);

        ProcessStartInfo start = new("dotnet") { WorkingDirectory = TestPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { GymDll, "serve", "--checkpoint", checkpoint, "--port", "0" })
            start.ArgumentList.Add(a);
        using Process serve = Process.Start(start)!;
        try
        {
            string? line = await serve.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.That(line, Does.StartWith("serving tiny on http://127.0.0.1:"));
            string url = line![line!.IndexOf("http", StringComparison.Ordinal)..];

            Environment.SetEnvironmentVariable("GYM_ROOT", TestPaths.Root);
            string[] common = ["eval", "--suite", "text/frozenlake-4x4", "--limit", "6", "--concurrency", "1"];
            (int code, string output, string error) = ProcessRunner.Run("dotnet",
                [GymDll, .. common, "--agent", "openai:tiny", "--base-url", url, "--prompt-from", checkpoint, "--out", Path.Combine(dir, "remote")], TestPaths.Root, 240_000);
            Assert.That(code, Is.EqualTo(0), output + error);
            (code, output, error) = ProcessRunner.Run("dotnet", [GymDll, .. common, "--agent", $"policy:{checkpoint}", "--out", Path.Combine(dir, "local")], TestPaths.Root, 240_000);
            Assert.That(code, Is.EqualTo(0), output + error);

            EvaluationReport remote = EvaluationReport.Load(Path.Combine(dir, "remote", "report.json"));
            EvaluationReport local = EvaluationReport.Load(Path.Combine(dir, "local", "report.json"));
            Assert.That((remote.Agent, remote.Episodes, remote.Aborted), Is.EqualTo(("openai:tiny", 6, 0)));
            Assert.That((remote.SuccessRate, remote.MeanSteps, remote.InvalidActionRate), Is.EqualTo((local.SuccessRate, local.MeanSteps, local.InvalidActionRate)));
            IReadOnlyList<Episode> episodes = TrajectoryReader.ReadFile(Path.Combine(dir, "remote", "trajectories.msgpack")).Episodes;
            Assert.That(episodes.SelectMany(e => e.Steps).All(s => s.Usage is { PromptTokens: > 0, CompletionTokens: > 0 }), Is.True, "token usage is in the trajectory");
        }
        finally
        {
            // SIGTERM: the server stops cleanly and says how much it served.
            ProcessRunner.Run("kill", ["-TERM", serve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TestPaths.Root);
            Assert.That(serve.WaitForExit(30_000), Is.True, "gym serve stops on SIGTERM");
        }
        Assert.That(serve.ExitCode, Is.EqualTo(0));
        Assert.That(await serve.StandardOutput.ReadToEndAsync(), Does.Contain("stopped: "));
        Directory.Delete(dir, true);
    }
}
