using System.Diagnostics;
using System.Globalization;
using Gym.Core;
using Gym.Core.Processes;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Trajectories;
using Gym.Envs.Gui.Desktop;
using static Gym.Envs.Gui.Tests.GuiTaskFixtures;

namespace Gym.Envs.Gui.Tests;

/// <summary>Crashes, freezes and leftovers: contained, reported, retried, cleaned up.</summary>
[TestFixture]
public sealed class ReliabilityTests
{
    // This process's GUI processes named `comm` (Xvfb, mousepad, ...).
    private static List<int> Ours(string comm) =>
        [.. MarkedProcesses.Find(OwnedProcesses.OwnerVariable, Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
            .Select(p => p.Pid).Where(pid => ReadComm(pid) == comm)];

    private static string? ReadComm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    [TestCase("mousepad")]
    [TestCase("Xvfb")]
    [CancelAfter(180_000)]
    public async Task KillingAProcessOfTheDesktopAbortsOnlyThatEpisodeWhichIsRetried(string victim)
    {
        EnvRegistry registry = new EnvRegistry().AddGuiEnvironments();
        TaskSpec[] tasks = [Kind("editor-append", 1), Kind("editor-append", 2), Kind("terminal-write", 3)];
        await using KillingOracle agent = new(victim);
        List<Episode> episodes = [];
        RolloutStatistics statistics;
        await using (RolloutRunner runner = new(registry, agent, new RolloutOptions { MaxConcurrentEpisodes = 1, MaxAttempts = 2 }))
        {
            await foreach (EpisodeGroup g in runner.RunAsync(tasks))
                episodes.AddRange(g.Episodes);
            statistics = runner.Statistics;
        }
        Assert.That(agent.Killed, Is.GreaterThan(0), $"{victim} was killed mid-episode");
        Assert.That(statistics.AbortedAttempts, Is.EqualTo(1));
        Assert.That(episodes.Select(e => e.Outcome.Success), Is.EqualTo(new[] { true, true, true }), "the aborted episode was retried and solved");
        Assert.That(MarkedProcesses.Find(OwnedProcesses.OwnerVariable, Environment.ProcessId.ToString(CultureInfo.InvariantCulture)), Is.Empty, "the runner's environments closed their displays");
    }

    [Test, CancelAfter(60_000)]
    public async Task AFrozenApplicationEndsTheEpisodeWithinTheActionTimeout()
    {
        await using GuiEnvironment env = new(new GuiOptions { ActionTimeout = TimeSpan.FromSeconds(1) });
        await env.ResetAsync(Kind("editor-append", 4), new ResetOptions());
        int pid = Ours("mousepad").Single();
        using (Process stop = Process.Start("kill", ["-STOP", pid.ToString(CultureInfo.InvariantCulture)]))
            await stop.WaitForExitAsync();
        Stopwatch clock = Stopwatch.StartNew();
        StepResult stuck = await Step(env, "key('ctrl+end')");
        Assert.That((stuck.Truncated, stuck.Terminated, stuck.Info.Extras["application_unresponsive"]), Is.EqualTo((true, false, (object?)true)));
        Assert.That(stuck.Info.Error, Does.Contain("Mousepad").And.Contain("did not answer"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "bounded by the action timeout");
        Observation next = await env.ResetAsync(Kind("terminal-write", 5), new ResetOptions());
        Assert.That(next.Text, Does.Contain("(XTerm)"), "the next episode starts cleanly, the frozen application killed");
    }

    [Test, CancelAfter(30_000)]
    public void TheSweepKillsWhatADeadGymProcessLeftBehind()
    {
        ProcessStartInfo info = new("sleep", ["120"]) { UseShellExecute = false };
        info.Environment[OwnedProcesses.TokenVariable] = "left-behind";
        info.Environment[OwnedProcesses.OwnerVariable] = "999999999"; // no such process
        using Process orphan = Process.Start(info)!;
        Assert.That(OwnedProcesses.SweepLeftovers(), Is.GreaterThanOrEqualTo(1));
        Assert.That(orphan.WaitForExit(5000), Is.True, "the orphan was killed");
    }

    /// <summary>The oracle, which kills this process's <c>victim</c> once, on its second turn of the first episode.</summary>
    private sealed class KillingOracle(string victim) : IAgent
    {
        private readonly GuiOracle _oracle = new();
        private int _turns;

        public int Killed { get; private set; }

        public string Name => "killing-oracle";

        public ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _turns) == 2 && Killed == 0)
            {
                // Killed and gone before this turn's action reaches the environment (no guess at how long that takes).
                foreach (int pid in Ours(victim))
                {
                    using Process process = Process.GetProcessById(pid);
                    process.Kill();
                    process.WaitForExit();
                    Killed++;
                }
            }
            return _oracle.ActAsync(context, cancellationToken);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
