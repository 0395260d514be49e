using System.Diagnostics;
using System.Text.Json;
using Gym.Core.Trajectories;
using Gym.Testing;

namespace Gym.Cli.Tests;

/// <summary><c>gym train</c> killed with SIGKILL in the middle of a run, then resumed with <c>--resume</c>.</summary>
[TestFixture]
public sealed class TrainKillTests
{
    private const string Config = """
        {
          "suite": "text/frozenlake-4x4",
          "model": { "hiddenSize": 32, "layers": 1, "heads": 2, "kvHeads": 1, "intermediateSize": 64, "seed": 2 },
          "agent": { "historyTurns": 0, "maxNewTokens": 8, "showAdmissible": false, "systemPrompt": "" },
          "groupSize": 4, "tasksPerIteration": 3, "iterations": 6,
          "ppo": { "epochs": 1, "minibatchSize": 16, "klCoefficient": 0.05 },
          "replay": { "enabled": true },
          "evalInterval": 0, "evalTasks": 3, "checkpointInterval": 2, "concurrency": 4, "threads": 1
        }
        """;

    private static ProcessStartInfo Train(string config, string outDir, bool resume)
    {
        ProcessStartInfo start = new("dotnet") { WorkingDirectory = TestPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { Path.Combine(TestContext.CurrentContext.TestDirectory, "gym.dll"), "train", "--config", config, "--out", outDir })
            start.ArgumentList.Add(a);
        if (resume)
            start.ArgumentList.Add("--resume");
        start.Environment["GYM_ROOT"] = TestPaths.Root;
        return start;
    }

    private static void RunToEnd(ProcessStartInfo start)
    {
        using Process p = Process.Start(start)!;
        Task<string> output = p.StandardOutput.ReadToEndAsync(), error = p.StandardError.ReadToEndAsync();
        Assert.That(p.WaitForExit(240_000), Is.True, "gym train finishes");
        Assert.That(p.ExitCode, Is.EqualTo(0), output.Result + error.Result);
    }

    private static List<JsonElement> Metrics(string dir) =>
        [.. File.ReadAllLines(Path.Combine(dir, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)];

    [Test, CancelAfter(600_000), Category("Slow")]
    public void ARunKilledWithSigkillResumesAndMatchesAnUninterruptedOne()
    {
        string dir = TestPaths.TempDirectory();
        string config = Path.Combine(dir, "config.json");
        File.WriteAllText(config, Config);
        string straight = Path.Combine(dir, "straight"), killed = Path.Combine(dir, "killed");
        RunToEnd(Train(config, straight, resume: false));

        // Kill as soon as iteration 3 is reported: iteration 4 is under way, the last checkpoint is iteration 2's.
        using (Process p = Process.Start(Train(config, killed, resume: false))!)
        {
            _ = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            string metrics = Path.Combine(killed, "metrics.jsonl");
            Stopwatch clock = Stopwatch.StartNew();
            while (!(File.Exists(metrics) && File.ReadAllLines(metrics).Length >= 3))
            {
                Assert.That(p.HasExited, Is.False, "the run must still be going when it is killed");
                Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMinutes(4)));
                Thread.Sleep(20);
            }
            p.Kill(); // SIGKILL on Unix: no handler runs.
            p.WaitForExit();
        }
        RunToEnd(Train(config, killed, resume: true));

        List<JsonElement> a = Metrics(straight), b = Metrics(killed);
        Assert.That(b.Select(m => m.GetProperty("iteration").GetInt32()), Is.EqualTo(Enumerable.Range(1, 6)));
        for (int i = 0; i < 6; i++)
        {
            foreach (string key in new[] { "policy_loss", "entropy", "grad_norm", "reference_kl" })
                Assert.That(b[i].GetProperty("update").GetProperty(key).GetDouble(), Is.EqualTo(a[i].GetProperty("update").GetProperty(key).GetDouble()).Within(1e-6), $"iteration {i + 1} {key}");
            Assert.That(b[i].GetProperty("replayed_episodes").GetInt32(), Is.EqualTo(a[i].GetProperty("replayed_episodes").GetInt32()), $"iteration {i + 1} replay");
        }
        // No completed episode is lost: every episode of the uninterrupted run is in the killed run's file.
        TrajectoryReadResult full = TrajectoryReader.ReadFile(Path.Combine(straight, "trajectories.msgpack"));
        TrajectoryReadResult resumed = TrajectoryReader.ReadFile(Path.Combine(killed, "trajectories.msgpack"));
        Assert.That(resumed.Episodes.Select(e => e.Id).ToHashSet(), Is.SupersetOf(full.Episodes.Select(e => e.Id)));
        Assert.That(resumed.Issues.Count, Is.LessThanOrEqualTo(1), "at most the record being written at the kill is torn");
        Directory.Delete(dir, recursive: true);
    }
}
