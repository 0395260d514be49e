using System.Diagnostics;
using Gym.Core;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Trajectories;
using Gym.Envs.Web.Browser;
using static Gym.Envs.Web.Tests.WebTaskFixtures;

namespace Gym.Envs.Web.Tests;

/// <summary>Misbehaving pages and a dying browser are contained: reported, or retried, and nothing hangs or is left behind.</summary>
[TestFixture]
public sealed class ReliabilityTests
{
    private static readonly WebOptions Quick = new() { ActionTimeout = TimeSpan.FromSeconds(2) };

    [Test, CancelAfter(60_000)]
    public async Task APageThatLoopsForeverEndsTheEpisodeReported()
    {
        await using WebEnvironment env = new(Quick);
        await env.ResetAsync(Widget("click-button"), default);
        Stopwatch t = Stopwatch.StartNew();
        StepResult stuck = await env.StepAsync(Act("goto('data:text/html,<title>x</title><script>for (;;) {}</script>')"));
        Assert.That((stuck.Truncated, stuck.Terminated, stuck.Info.Extras["page_unresponsive"]), Is.EqualTo((true, false, (object?)true)));
        Assert.That(stuck.Info.Error, Does.Contain("did not answer"));
        Assert.That(t.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), "bounded by the action timeout");
        // The same environment goes on with the next episode.
        Observation next = await env.ResetAsync(Widget("click-button", 4), default);
        Assert.That(next.Text, Does.Contain("button"));
    }

    [Test, CancelAfter(60_000)]
    public async Task EndlessDialogsAreDismissedAndContained()
    {
        await using WebEnvironment env = new(Quick);
        await env.ResetAsync(Widget("click-button"), default);
        StepResult step = await env.StepAsync(Act("goto('data:text/html,<script>setTimeout(() => { for (;;) alert(1); }, 0)</script>')"));
        Assert.That(step.Truncated, Is.True, step.Observation.Text);
        Assert.That(step.Info.Error, Does.Contain("dialogs").Or.Contain("did not answer"));

        // A page that opens a few dialogs is fine: they are dismissed and listed.
        await env.ResetAsync(Widget("click-button"), default);
        StepResult few = await env.StepAsync(Act("goto('data:text/html,<title>ok</title><script>alert(\"first\"); confirm(\"second\")</script><button>ok</button>')"));
        Assert.That(few.Observation.Text, Does.Contain("Dialog dismissed: alert: first").And.Contain("Dialog dismissed: confirm: second"));
        Assert.That(few.Truncated, Is.False);
    }

    [Test, CancelAfter(60_000)]
    public async Task RequestsOutsideTheTaskSitesAreBlockedAndReported()
    {
        await using WebEnvironment env = new(Quick);
        await env.ResetAsync(Widget("click-button"), default);
        StepResult refused = await env.StepAsync(Act("goto('http://example.com/')"));
        Assert.That((refused.Info.ActionValid, refused.Info.Error), Is.EqualTo((false, (string?)"'http://example.com/' is outside this task's sites; only they can be reached.")));
        // A page that fetches, embeds and finally navigates outside: each request is blocked and named.
        StepResult escaping = await env.StepAsync(Act("goto('data:text/html,<img src=\"http://203.0.113.7/pixel.png\"><script>fetch(\"https://example.org/api\").catch(() => {})</script>')"));
        Assert.That(escaping.Observation.Text, Does.Contain("Blocked request (outside the task's sites): http://203.0.113.7/pixel.png"));
        string all = escaping.Observation.Text;
        if (!all.Contains("https://example.org/api", StringComparison.Ordinal))
            all += (await env.StepAsync(Act("noop(200)"))).Observation.Text;
        Assert.That(all, Does.Contain("Blocked request (outside the task's sites): https://example.org/api"));
    }

    [Test, CancelAfter(180_000)]
    public async Task KillingChromiumAbortsOnlyThatEpisodeWhichIsRetriedOnAFreshBrowser()
    {
        EnvRegistry registry = new EnvRegistry().AddWebEnvironments();
        TaskSpec[] tasks = [Widget("login-user", 1), Widget("login-user", 2), Widget("fill-form", 3)];
        await using KillingOracle agent = new();
        List<Episode> episodes = [];
        RolloutStatistics statistics;
        await using (RolloutRunner runner = new(registry, agent, new RolloutOptions { MaxConcurrentEpisodes = 1, MaxAttempts = 2 }))
        {
            await foreach (EpisodeGroup g in runner.RunAsync(tasks))
                episodes.AddRange(g.Episodes);
            statistics = runner.Statistics;
        }
        Assert.That(agent.Killed, Is.GreaterThan(0), "a browser was killed mid-episode");
        Assert.That(statistics.AbortedAttempts, Is.EqualTo(1));
        Assert.That(episodes.Select(e => e.Outcome.Success), Is.EqualTo(new[] { true, true, true }), "the aborted episode was retried and solved");
        Assert.That(ChromiumBrowser.FindProcesses(ancestor: Environment.ProcessId), Is.Empty, "the runner's environments closed their browsers");
    }

    [Test, CancelAfter(60_000)]
    public async Task DisposingTheEnvironmentClosesItsBrowser()
    {
        WebEnvironment env = new();
        await env.ResetAsync(Widget("click-button"), default);
        string tag = env.Browser!.Tag;
        Assert.That(ChromiumBrowser.FindProcesses($"--gym-browser={tag}"), Has.Count.EqualTo(1));
        await env.DisposeAsync();
        Assert.That(ChromiumBrowser.FindProcesses($"--gym-browser={tag}"), Is.Empty);
    }

    /// <summary>The oracle, which kills this process's browsers once, on its second turn of the second episode.</summary>
    private sealed class KillingOracle : IAgent
    {
        private readonly WebOracle _oracle = new();
        private int _turns;

        public int Killed { get; private set; }

        public string Name => "killing-oracle";

        public ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _turns) == 5 && Killed == 0)
            {
                // Killed and gone before this turn's action reaches the environment (no guess at how long that takes).
                foreach (int pid in ChromiumBrowser.FindProcesses(ancestor: Environment.ProcessId))
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
