using System.Diagnostics;
using System.Globalization;
using Docker.DotNet.Models;
using Gym.Core.Processes;
using Gym.Docker;
using Gym.Envs.Gui.Desktop;
using Gym.Testing;

namespace Gym.Cli.Tests;

/// <summary>
/// When <c>gym</c> returns, every browser, display process and container it started is gone: checked the moment
/// the command exits, for each family that starts something outside the process.
/// </summary>
[TestFixture]
public sealed class NothingOutlivesACommandTests
{
    // Set in the command's environment only; every process it starts inherits it (browsers through the Playwright
    // driver); display processes are marked by their owner's pid instead, and containers by a label.
    private const string MarkVariable = "GYM_TEST_COMMAND_MARK";

    [TestCase("web/pages", Category = "Chromium")]
    [TestCase("gui/desktop", Category = "Xvfb")]
    [TestCase("code/functions", Category = "Docker")]
    [CancelAfter(300_000)]
    public async Task AnEvaluationLeavesNoProcessOrContainerBehind(string suite)
    {
        string dir = TestPaths.TempDirectory();
        string mark = Guid.NewGuid().ToString("N");
        ProcessStartInfo start = new("dotnet") { WorkingDirectory = TestPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { Path.Combine(TestContext.CurrentContext.TestDirectory, "gym.dll"), "eval", "--suite", suite, "--agent", "oracle", "--limit", "2", "--out", dir })
            start.ArgumentList.Add(arg);
        start.Environment["GYM_ROOT"] = TestPaths.Root;
        start.Environment[MarkVariable] = mark;
        using Process gym = Process.Start(start) ?? throw new InvalidOperationException("could not start gym");
        Task<string> output = gym.StandardOutput.ReadToEndAsync(), error = gym.StandardError.ReadToEndAsync();
        try
        {
            await gym.WaitForExitAsync(TestContext.CurrentContext.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            gym.Kill(entireProcessTree: true);
            throw;
        }

        // Right at exit, before anything else.
        // (A zombie has exited: only its parent's reaping is left.)
        List<int> processes = [.. MarkedProcesses.Find(MarkVariable, mark).Select(p => p.Pid)
            .Union(MarkedProcesses.Find(OwnedProcesses.OwnerVariable, gym.Id.ToString(CultureInfo.InvariantCulture)).Select(p => p.Pid))
            .Where(MarkedProcesses.IsRunning)];
        using DockerClient docker = await DockerClient.ConnectAsync();
        IList<ContainerListResponse> containers = await docker.ListContainersAsync($"gym.owner-pid={gym.Id}");
        string[] described = [.. processes.Select(Describe)];

        // Clean up whatever was left, then judge.
        MarkedProcesses.Kill(processes);
        foreach (ContainerListResponse c in containers)
            await docker.RemoveContainerAsync(c.ID);
        Directory.Delete(dir, recursive: true);
        Assert.That(gym.ExitCode, Is.EqualTo(0), await output + await error);
        Assert.That(described, Is.Empty, "processes of the command alive after it returned");
        Assert.That(containers.Select(c => c.ID), Is.Empty, "containers of the command alive after it returned");
    }

    private static string Describe(int pid)
    {
        try
        {
            return $"{pid}: {File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()}";
        }
        catch (IOException)
        {
            return $"{pid}: (exited while listed)";
        }
    }
}
