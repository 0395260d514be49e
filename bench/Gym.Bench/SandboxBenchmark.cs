using System.Diagnostics;
using Gym.Core;
using Gym.Core.Evaluation;
using Gym.Core.Registry;
using Gym.Core.Tasks;
using Gym.Docker;
using Gym.Envs.Code;
using Gym.Envs.Code.Sandbox;

namespace Gym.Bench;

/// <summary>
/// Code sandboxes: one command's round trip in a warm container through Gym's client (the whole sandbox command:
/// exec with the timeout wrapper and the clean-up) next to `docker exec` of the same command, container
/// acquisition from the pool, and graded submissions per second with the oracle over the function suite.
/// </summary>
internal static class SandboxBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100;
        string root = Environment.GetEnvironmentVariable("GYM_ROOT") ?? Directory.GetCurrentDirectory();
        string recipes = Path.Combine(root, "sandbox", "images");
        using DockerClient docker = await DockerClient.ConnectAsync();
        ImageRecipe recipe = ImageRecipe.Find(recipes, "python");
        await using DockerSandboxProvider provider = await DockerSandboxProvider.StartAsync(docker, recipe.Tag, recipe.User.Uid, poolSize: 2);

        // Exec round trip: Gym's sandbox command vs the docker CLI, same container, same command.
        await using ISandbox sandbox = await provider.AcquireAsync();
        string container = ((DockerSandbox)sandbox).ContainerId;
        List<double> gym = [], raw = [], cli = [];
        for (int i = 0; i < n + 5; i++)
        {
            Stopwatch t = Stopwatch.StartNew();
            await sandbox.RunAsync("echo hi");
            if (i >= 5)
                gym.Add(t.Elapsed.TotalMilliseconds);
            t.Restart();
            await docker.ExecAsync(container, new global::Docker.DotNet.Models.ContainerExecCreateParameters { Cmd = ["echo", "hi"], User = "1000:1000" });
            if (i >= 5)
                raw.Add(t.Elapsed.TotalMilliseconds);
            t.Restart();
            using (Process p = Process.Start(new ProcessStartInfo("docker", ["exec", "-u", "1000:1000", container, "echo", "hi"]) { RedirectStandardOutput = true })!)
            {
                await p.StandardOutput.ReadToEndAsync();
                await p.WaitForExitAsync();
            }
            if (i >= 5)
                cli.Add(t.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"exec round trip (echo hi), {n} runs: gym sandbox command median {Median(gym):0.0} ms p90 {P90(gym):0.0}; " +
            $"gym client bare exec median {Median(raw):0.0} ms p90 {P90(raw):0.0}; docker exec CLI median {Median(cli):0.0} ms p90 {P90(cli):0.0}");

        // Acquisition: from a warm pool (a container is ready) and when the pool is drained.
        List<double> warm = [];
        for (int i = 0; i < 10; i++)
        {
            await Task.Delay(1500);
            Stopwatch t = Stopwatch.StartNew();
            ISandbox s = await provider.AcquireAsync();
            warm.Add(t.Elapsed.TotalMilliseconds);
            await s.DisposeAsync();
        }
        List<double> cold = [];
        for (int i = 0; i < 10; i++)
        {
            Stopwatch t = Stopwatch.StartNew();
            ISandbox s = await provider.AcquireAsync();
            cold.Add(t.Elapsed.TotalMilliseconds);
            await s.DisposeAsync();
        }
        Console.WriteLine($"acquisition: warm pool median {Median(warm):0.0} ms p90 {P90(warm):0.0}; back to back (pool drained) median {Median(cold):0.0} ms p90 {P90(cold):0.0}");

        // Graded submissions: the oracle over every function task, one fresh container per episode.
        await using SandboxService service = new(recipes, "docker");
        EnvRegistry registry = new EnvRegistry().AddCodeEnvironments(service);
        TaskSuite suite = TaskSuiteLoader.Load("code/functions", Path.Combine(root, "tasks"), registry.Contains);
        await using IAgent oracle = new CodeOracle();
        await service.GetAsync();
        await Task.Delay(2000);
        Stopwatch clock = Stopwatch.StartNew();
        EvaluationResult result = await SuiteEvaluator.EvaluateAsync(registry, oracle, suite, null, 1, Path.Combine(Path.GetTempPath(), "gym-bench-code"),
            new Gym.Core.Rollouts.RolloutOptions { MaxConcurrentEpisodes = 4 });
        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"graded submissions (oracle, code/functions, fresh container each): {result.Report.Episodes / seconds:0.0}/s ({result.Report.Episodes} in {seconds:0.0} s, success {result.Report.SuccessRate:P0})");

        // Grading alone in warm sandboxes: the hidden tests of one task, run again and again.
        await using ISandbox grader = await provider.AcquireAsync();
        TaskSpec task = suite.Tasks[0];
        foreach ((string path, string content) in Gym.Envs.Code.Tasks.CodeTask.From(task).Reference.Concat(Gym.Envs.Code.Tasks.CodeTask.From(task).HiddenTests))
            await grader.WriteFileAsync(path, content);
        await grader.WriteFileAsync(Gym.Envs.Code.Tasks.TestRunner.FileName, Gym.Envs.Code.Tasks.TestRunner.Source);
        clock.Restart();
        int graded = 0;
        while (clock.Elapsed.TotalSeconds < 5)
        {
            await grader.RunAsync(Gym.Envs.Code.Tasks.TestRunner.Command("0", ["test_hidden.py"]));
            graded++;
        }
        Console.WriteLine($"grading in a warm sandbox (hidden tests of {task.Id}, one at a time): {graded / clock.Elapsed.TotalSeconds:0.0}/s");
        return 0;
    }

    private static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    private static double P90(List<double> xs) => xs.Order().ElementAt((int)(xs.Count * 0.9));
}
